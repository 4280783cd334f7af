import type { Command, FlagSpec } from './command-context';

export const BIN = 'spec-kitty-tracker';

function flagLabel(name: string, spec: FlagSpec): string {
  const long = `--${name}${spec.type === 'string' ? ` ${spec.placeholder ?? 'VALUE'}` : ''}`;
  const repeat = spec.multiple ? ' (repeatable)' : '';
  return `${spec.short ? `-${spec.short}, ` : '    '}${long}${repeat}`;
}

function flagMeaning(spec: FlagSpec): string {
  const parts = [spec.description.endsWith('.') ? spec.description : `${spec.description}.`];
  if (spec.values !== undefined) parts.push(`Values: ${spec.values}.`);
  if (spec.default !== undefined) parts.push(`Default: ${spec.default}.`);
  return parts.join(' ');
}

/**
 * A command's `--help`: summary, synopsis, subcommands, one line per flag (meaning, valid values,
 * default) and examples. `path` is the command words, e.g. `issues create`.
 */
export function commandHelp(command: Command, path: string): string {
  const lines = [command.summary, '', `Usage: ${BIN} ${command.usage}`];
  if (command.subcommands && command.subcommands.length > 0) {
    const width = Math.max(...command.subcommands.map((sub) => sub.name.length));
    lines.push('', 'Subcommands:');
    for (const sub of command.subcommands) lines.push(`  ${sub.name.padEnd(width)}  ${sub.summary}`);
    lines.push('', `Run \`${BIN} ${path} <subcommand> --help\` for a subcommand's flags.`);
  }
  const flags = Object.entries(command.options);
  if (flags.length > 0) {
    const labels = flags.map(([name, spec]) => flagLabel(name, spec));
    const width = Math.max(...labels.map((label) => label.length));
    lines.push('', 'Options:');
    flags.forEach(([, spec], index) => {
      lines.push(`  ${labels[index]!.padEnd(width)}  ${flagMeaning(spec)}`);
    });
  }
  if (command.notes !== undefined && command.notes.length > 0) lines.push('', ...command.notes);
  if (command.examples.length > 0) {
    lines.push('', 'Examples:');
    for (const example of command.examples) lines.push(`  ${BIN} ${example}`);
  }
  return `${lines.join('\n')}\n`;
}
