// npm run bench [-- section ...]: benchmarks that print ratios measured side by side in one run.
// Sections: foundation, layers, load (LOAD_SECONDS, default 60, per backend), coverage, allocation,
// solvers (BENCH_SOLVER_SECONDS), online (BENCH_YEARS), client, memory (BENCH_MEMORY_OFFERS).
// Without arguments, all of them.
import { benchFoundation } from './bench/foundation.ts';
import { benchLayers } from './bench/layers.ts';
import { benchLoad } from './bench/load.ts';
import { benchCoverage } from './bench/coverage.ts';
import { benchAllocation, benchOnline, benchSolvers } from './bench/allocation.ts';
import { benchClient } from './bench/client.ts';
import { benchMemory } from './bench/memory.ts';

const sections: Record<string, () => Promise<void>> = {
  foundation: benchFoundation,
  layers: benchLayers,
  load: benchLoad,
  coverage: benchCoverage,
  allocation: benchAllocation,
  solvers: benchSolvers,
  online: benchOnline,
  client: benchClient,
  memory: benchMemory,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of wanted.length ? wanted : Object.keys(sections)) {
  const run = sections[name];
  if (!run) {
    console.error(`unknown section "${name}"; choose from ${Object.keys(sections).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n=== ${name} ===`);
  await run();
}
