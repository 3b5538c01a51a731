#!/usr/bin/env node
// The `ontap` command. Node 24 runs the TypeScript sources directly (type stripping).
import '../cli/ontap.ts';
