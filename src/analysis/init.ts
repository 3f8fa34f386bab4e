/**
 * Which functions of one file run while the server loads and starts (MTF 3.5 CD-02 "Initialization
 * (import/startup)") rather than later in handlers: module-level code (function 0), functions that run where
 * they are defined (an IIFE, a callback handed to `.then` or `setTimeout`), and functions called by name from
 * code that runs at load (`main()` at the bottom of the file), transitively. Calls are matched by name
 * within the file, which may count a same-named inner function too: an over-approximation of start-up code.
 */
export class InitTracker {
  private readonly parents: (number | null)[] = [null];
  private readonly names: (string | null)[] = [null];
  private readonly runsWhenDefined: boolean[] = [true];
  private readonly calledNames = new Map<number, Set<string>>();

  /** Registers a function; returns its number (module level is 0). */
  addFunction(parent: number | null, name: string | null, runsWhenDefined: boolean): number {
    this.parents.push(parent);
    this.names.push(name);
    this.runsWhenDefined.push(runsWhenDefined);
    return this.parents.length - 1;
  }

  /** Records that function `from` calls something by the plain name `name`. */
  addCall(from: number, name: string): void {
    let names = this.calledNames.get(from);
    if (!names) this.calledNames.set(from, (names = new Set()));
    names.add(name);
  }

  /** The functions that run at load, in one linear pass over a work list. */
  resolve(): Set<number> {
    const children = new Map<number, number[]>();
    const byName = new Map<string, number[]>();
    for (let id = 1; id < this.parents.length; id++) {
      const parent = this.parents[id];
      if (parent !== null && parent !== undefined && this.runsWhenDefined[id]) {
        const list = children.get(parent);
        if (list) list.push(id);
        else children.set(parent, [id]);
      }
      const name = this.names[id];
      if (name) {
        const list = byName.get(name);
        if (list) list.push(id);
        else byName.set(name, [id]);
      }
    }
    const init = new Set<number>([0]);
    const pending = [0];
    while (pending.length > 0) {
      const id = pending.pop()!;
      const reached = [...(children.get(id) ?? [])];
      for (const name of this.calledNames.get(id) ?? []) reached.push(...(byName.get(name) ?? []));
      for (const next of reached) {
        if (init.has(next)) continue;
        init.add(next);
        pending.push(next);
      }
    }
    return init;
  }
}
