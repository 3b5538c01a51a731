-- A champion may make a challenge's leaderboard public (aliases only), for the noticeboard and embedding.
ALTER TABLE challenges ADD COLUMN public boolean NOT NULL DEFAULT false;
