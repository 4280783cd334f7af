import { refIdentity } from '@spec-kitty/core';
import { configPathFor, loadConfig, openProjectStore } from './cli-config';
import { type Command, emitJson, GLOBAL_FLAGS, parseCommandArgs, say } from './command-context';
import { ExitCode, UsageError } from './exit-codes';
import { findStoredIssue } from './issue-lookup';
import { renderTable } from './table';

const USAGE =
  'map add <work-package> <issue> | map list [<work-package>] | map remove <work-package> [<issue>]';

export const mapCommand: Command = {
  name: 'map',
  summary: 'Link work packages to tracker issues (add | list | remove)',
  usage: USAGE,
  options: GLOBAL_FLAGS,
  examples: ["map add WP01 '#12'", 'map list', "map remove WP01 '#12'"],
  async run(ctx) {
    const { values, positionals } = parseCommandArgs('map', ctx.args, GLOBAL_FLAGS);
    const [action, workPackage, issueReference, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`map: too many arguments. Usage: ${USAGE}`);
    const loaded = loadConfig(configPathFor(ctx.io.cwd, values.config ?? ctx.configFlag));
    const store = openProjectStore(loaded);
    try {
      switch (action) {
        case 'add': {
          if (workPackage === undefined || issueReference === undefined) {
            throw new UsageError(`map add needs a work package and an issue. Usage: ${USAGE}`);
          }
          const issue = await findStoredIssue(store, issueReference, loaded.config.provider);
          const mapping = await store.addMapping(workPackage, issue.ref);
          emitJson(ctx, {
            command: 'map add',
            workPackage: mapping.workPackageId,
            issue: refIdentity(mapping.ref),
          });
          say(ctx, `Mapped ${mapping.workPackageId} → ${refIdentity(mapping.ref)} (${issue.title})`);
          return ExitCode.OK;
        }
        case 'list':
        case undefined: {
          if (issueReference !== undefined)
            throw new UsageError(`map list takes at most a work package. Usage: ${USAGE}`);
          const mappings = await store.listMappings(
            workPackage === undefined ? undefined : { workPackageId: workPackage },
          );
          const rows = [];
          for (const mapping of mappings) {
            const issue = await store.getIssue(mapping.ref);
            rows.push({
              workPackage: mapping.workPackageId,
              issue: refIdentity(mapping.ref),
              key: mapping.ref.key,
              title: issue?.title ?? null,
              status: issue?.status ?? null,
              url: mapping.ref.url,
            });
          }
          emitJson(ctx, { command: 'map list', mappings: rows });
          if (rows.length === 0)
            say(ctx, 'No mappings. Add one with `spec-kitty-tracker map add <work-package> <issue>`.');
          else
            say(
              ctx,
              renderTable(
                ['work package', 'issue', 'status', 'title'],
                rows.map((row) => [
                  row.workPackage,
                  row.key ?? row.issue,
                  row.status ?? '(not in store)',
                  row.title ?? '',
                ]),
              ),
            );
          return ExitCode.OK;
        }
        case 'remove': {
          if (workPackage === undefined)
            throw new UsageError(`map remove needs a work package. Usage: ${USAGE}`);
          const ref =
            issueReference === undefined
              ? undefined
              : (await findStoredIssue(store, issueReference, loaded.config.provider)).ref;
          const removed = await store.removeMapping(workPackage, ref);
          emitJson(ctx, { command: 'map remove', removed });
          say(ctx, `Removed ${removed} mapping(s).`);
          return ExitCode.OK;
        }
        default:
          throw new UsageError(`map: unknown action ${JSON.stringify(action)}. Usage: ${USAGE}`);
      }
    } finally {
      store.close();
    }
  },
};
