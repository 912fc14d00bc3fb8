// Worker thread holding the one HiGHS instance of the process. HiGHS (WebAssembly) solves
// synchronously; in the main thread a 20-second solve would stall every other request. Plain
// CommonJS so that Node runs it without the TypeScript loader the parent may run under.
'use strict';
const { parentPort } = require('node:worker_threads');
const loadHighs = require('highs');

// HiGHS model status codes (highs.constants.modelStatus) as the legacy solve() names them,
// so that the core engine reads the answer exactly as it reads highs.solve().
const STATUS = [
  'Not Set', 'Load error', 'Model error', 'Presolve error', 'Solve error', 'Postsolve error', 'Empty',
  'Optimal', 'Infeasible', 'Primal infeasible or unbounded', 'Unbounded', 'Bound on objective reached',
  'Target for objective reached', 'Time limit reached', 'Iteration limit reached', 'Unknown',
];
// info.primal_solution_status: 2 = a feasible solution exists.
const FEASIBLE = 2;

const ready = loadHighs();

function solve(highs, lp, options) {
  return highs.withModel({ format: 'lp', data: lp }, (model) => {
    model.options.set({ output_flag: false, ...options });
    model.run();
    const status = STATUS[model.getModelStatus()] ?? 'Unknown';
    const columns = {};
    if (Number(model.info.get('primal_solution_status')) === FEASIBLE) {
      const { colValue } = model.getSolution();
      colValue.forEach((value, i) => {
        columns[model.getColName(i)] = { Primal: value };
      });
    }
    const number = (name) => {
      const value = Number(model.info.get(name));
      return Number.isFinite(value) ? value : null;
    };
    return {
      Status: status,
      Columns: columns,
      objective: number('objective_function_value'),
      dual_bound: number('mip_dual_bound'),
      mip_gap: number('mip_gap'),
      run_time: model.getRunTime(),
    };
  });
}

parentPort.on('message', async ({ id, lp, options }) => {
  try {
    const highs = await ready;
    parentPort.postMessage({ id, answer: solve(highs, lp, options) });
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
