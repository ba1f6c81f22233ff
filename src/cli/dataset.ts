import type { Command } from 'commander';

// Placeholder until the command is implemented; registered so `emovox --help` lists the layout.
export function register(_program: Command): void {}
