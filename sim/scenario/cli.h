/* Command-line entry points for scenarios (DESIGN.md §8):
 *   tocksim run  ... [--scenario F] [--seed N | --seeds A..B] [--record F | --replay F]
 *                    [--variant NAME] [--stdin]
 *   tocksim test [SCENARIO|DIR ...] [--jobs N] [--shard K/N] [--junit F] [--seeds A..B]
 *                [--board B] [--variant NAME [--expect-caught]]
 * Both return the process exit status; nothing here calls exit(). */
#ifndef SIM_SCENARIO_CLI_H
#define SIM_SCENARIO_CLI_H

#include <stdbool.h>

/* Does this `run` command line use an option that scn_cli_run handles? */
bool scn_cli_wants(int argc, char **argv);
/* `tocksim run` with scenario, seed, record or replay options (argv[0] = "run"). */
int scn_cli_run(int argc, char **argv, volatile const int *interrupt);
/* `tocksim test` (argv[0] = "test"). */
int scn_cli_test(int argc, char **argv, volatile const int *interrupt);

#endif
