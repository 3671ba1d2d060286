import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnyStateNode } from 'xstate';
import { diagramDoc, diagramsDir, machineDiagrams } from '../../scripts/diagrams.js';
import { toMermaid } from '../../src/machines/mermaid.js';
import { containerMachine } from '../../src/machines/container-machine.js';
import { postMachine } from '../../src/machines/post-machine.js';

const stateKeys = (node: AnyStateNode): string[] => Object.values(node.states).flatMap((child) => [child.key, ...stateKeys(child)]);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A line of the diagram, whole, whatever its indentation. */
const line = (text: string) => new RegExp(`^\\s*${escape(text)}$`, 'm');

describe('machine diagrams', () => {
  for (const diagram of machineDiagrams) {
    it(`docs/machines/${diagram.name}.md matches the ${diagram.machine.id} machine`, async () => {
      const path = join(diagramsDir, `${diagram.name}.md`);
      const committed = await readFile(path, 'utf8').catch(() => undefined);
      const hint = `docs/machines/${diagram.name}.md is out of date with ${diagram.source}: run \`npm run diagrams\` and commit the result`;
      expect(committed, hint).toBeDefined();
      expect(committed, hint).toBe(diagramDoc(diagram));
    });

    it(`the ${diagram.name} diagram declares every state of the machine`, () => {
      const mermaid = toMermaid(diagram.machine);
      expect(mermaid.startsWith('stateDiagram-v2\n')).toBe(true);
      const keys = stateKeys(diagram.machine.root);
      expect(keys.length).toBeGreaterThan(3);
      const missing = keys.filter((key) => ![line(key), new RegExp(`^\\s*state "${escape(key)}" as \\w+$`, 'm'), line(`state ${key} {`)].some((re) => re.test(mermaid)));
      expect(missing).toEqual([]);
      expect(mermaid, 'every xstate.* event is shortened').not.toContain('xstate.');
      expect(toMermaid(diagram.machine), 'rendering is deterministic').toBe(mermaid);
    });
  }

  it('the container diagram shows the retry loop, the nested create, the poll as a wait and a read, and the ends', () => {
    const mermaid = toMermaid(containerMachine);
    expect(mermaid).toMatch(line('errorRetryable --> creating : done: wait'));
    expect(mermaid).toMatch(line('state creating {'));
    expect(mermaid).toMatch(line('[*] --> creating_requesting'));
    expect(mermaid).toMatch(line('creating_requesting --> errorRetryable : error: createContainer [createNeedsNewContainer]'));
    // every wait is a state: polling waits, then reads
    expect(mermaid).toMatch(line('polling_waiting --> polling_reading : done: wait'));
    expect(mermaid).toMatch(line('polling_reading --> polling_waiting : done: readStatus'));
    expect(mermaid).toMatch(line('polling_reading : invokes readStatus'));
    expect(mermaid).toMatch(line('start --> polling : always [hasContainer]'));
    for (const final of ['finished', 'published', 'parentExpired', 'failed']) expect(mermaid).toMatch(line(`${final} --> [*]`));
    expect(mermaid).not.toMatch(line('polling --> [*]'));
  });

  it('the post diagram shows RESTORED from publishing to verifying', () => {
    const mermaid = toMermaid(postMachine);
    expect(mermaid).toMatch(line('publishing --> verifying : RESTORED'));
    expect(mermaid).toMatch(line('publishing --> verifying : error: publishContainer [publishAmbiguous]'));
    expect(mermaid).toMatch(line('preparing_carousel : invokes carousel (id container)'));
    expect(mermaid).toMatch(line('[*] --> accepted'));
    expect(mermaid).toMatch(line('verifying_reading --> verifying_grace : done: readStatus [readFinished]'));
  });
});
