// The `eno` command: dispatches to its subcommands.
import { processIo, type CliIo } from './io';
import { runModels, runUpload } from './clearml-commands';
import { runLearn, runSimilar } from './learn-commands';
import { runServe } from './serve-command';
import { runTag } from './tag-command';
import { runWriteTags } from './write-tags-command';
import { appVersion } from './version';

const USAGE = `usage: eno <command> [options]

commands:
  tag <files or folders...>   tag audio files and print or save the results
  serve                       run eno in your browser (library, tagging queue, review)
  write-tags [paths...]       write the library's tags into the music files (genre, mood)
  upload                      upload new corrections to ClearML as a dataset version
  models list|pull|use        models from the ClearML registry
  learn                       refit the tags learned from your corrections and show how good each is
  similar FILE|TRACK          the tracks of the library most like a file or track

Run "eno <command> --help" for the options of a command.`;

/** Runs the CLI with the given arguments; returns the exit status. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'tag':
      return runTag(rest, io);
    case 'serve':
      return runServe(rest, io);
    case 'write-tags':
      return runWriteTags(rest, io);
    case 'upload':
      return runUpload(rest, io);
    case 'models':
      return runModels(rest, io);
    case 'learn':
      return runLearn(rest, io);
    case 'similar':
      return runSimilar(rest, io);
    case '--version':
      io.stdout(`eno ${appVersion()}\n`);
      return 0;
    case '-h':
    case '--help':
    case 'help':
      io.stdout(`${USAGE}\n`);
      return 0;
    case undefined:
      io.stderr(`${USAGE}\n`);
      return 2;
    default:
      io.stderr(`eno: unknown command "${command}"\n\n${USAGE}\n`);
      return 2;
  }
}
