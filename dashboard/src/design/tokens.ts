// The design system's foundations: colours (text contrast ≥ 4.5:1 on their backgrounds), spacing,
// focus ring, and the base styles every component shares (buttons, fields, cards, messages).
import { css } from 'lit';

export const tokens = css`
  :host {
    --ink: #15202b;
    --muted: #4a5560;
    --paper: #ffffff;
    --wash: #eef4f7;
    --line: #c5d0d8;
    --brand: #0b5ea8;
    --brand-dark: #084a85;
    --energy: #8a4b00;
    --good: #1b6e3a;
    --good-wash: #e6f3ea;
    --bad: #8f1d1d;
    --bad-wash: #fbeaea;
    --focus: #ffbf47;
    --radius: 0.5rem;
    --space: 1rem;
    font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    line-height: 1.5;
    color: var(--ink);
  }
`;

export const base = css`
  * {
    box-sizing: border-box;
  }
  a {
    color: var(--brand);
  }
  :focus-visible {
    outline: 3px solid var(--focus);
    outline-offset: 2px;
  }
  h1,
  h2,
  h3 {
    line-height: 1.25;
    margin: 0 0 0.5rem;
  }
  h1 {
    font-size: clamp(1.5rem, 6vw, 2rem);
  }
  /* A sub-heading after other content starts a new part: room above it. */
  * + h3 {
    margin-top: 1.25rem;
  }
  h2 {
    font-size: 1.25rem;
  }
  p {
    margin: 0 0 0.75rem;
  }
  .card {
    background: var(--paper);
    border: 1px solid var(--line);
    border-radius: var(--radius);
    padding: var(--space);
    margin-bottom: var(--space);
  }
  @media (max-width: 30rem) {
    .card {
      padding: 0.75rem 0.6rem;
    }
  }
  .muted {
    color: var(--muted);
  }
  button,
  .button {
    font: inherit;
    font-weight: 600;
    display: inline-block;
    min-height: 2.75rem;
    padding: 0.5rem 1.1rem;
    border-radius: var(--radius);
    border: 2px solid var(--brand);
    background: var(--brand);
    color: #fff;
    cursor: pointer;
    text-decoration: none;
  }
  button:hover,
  .button:hover {
    background: var(--brand-dark);
    border-color: var(--brand-dark);
  }
  button.secondary {
    background: var(--paper);
    color: var(--brand);
  }
  button[disabled] {
    opacity: 0.6;
    cursor: progress;
  }
  .field {
    display: grid;
    gap: 0.25rem;
    margin-bottom: 0.9rem;
  }
  .field label {
    font-weight: 600;
  }
  .field .hint {
    color: var(--muted);
    font-size: 0.9rem;
  }
  .field .problem {
    color: var(--bad);
    font-weight: 600;
  }
  input,
  select,
  textarea {
    font: inherit;
    min-height: 2.75rem;
    padding: 0.4rem 0.6rem;
    border: 2px solid var(--muted);
    border-radius: 0.35rem;
    background: var(--paper);
    color: var(--ink);
    width: 100%;
    max-width: 28rem;
  }
  input[aria-invalid='true'],
  select[aria-invalid='true'] {
    border-color: var(--bad);
  }
  .alert {
    border-left: 0.35rem solid var(--bad);
    background: var(--bad-wash);
    padding: 0.6rem 0.8rem;
    margin-bottom: 0.9rem;
  }
  /* What an action made (an invitation code, a meter's credentials): set apart, wrapping long codes. */
  .success {
    border-left: 0.35rem solid var(--good);
    background: var(--good-wash);
    padding: 0.6rem 0.8rem;
    margin-top: 0.9rem;
    overflow-wrap: anywhere;
  }
  /* Read by screen readers, not shown. */
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  /* A figure that just changed (live pages): a brief highlight, a steady outline without motion. */
  .changed {
    animation: changed 4s ease-out;
  }
  @keyframes changed {
    from {
      background: var(--focus);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .changed {
      animation: none;
      outline: 2px solid var(--focus);
    }
  }
  summary {
    cursor: pointer;
    color: var(--brand);
    font-weight: 600;
    min-height: 2.75rem;
    display: flex;
    align-items: center;
  }
  /* A checkbox or radio button with its label beside it. */
  .choice {
    display: flex;
    gap: 0.5rem;
    align-items: start;
    min-height: 2.5rem;
  }
  .choice input {
    width: 1.4rem;
    min-height: 1.4rem;
    margin-top: 0.1rem;
    flex: none;
  }
`;
