/** The mocha runner VS Code calls inside the extension host (its extensionTestsPath). */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: true, timeout: 90_000 });
  for (const file of readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(join(__dirname, file));
  }
  await new Promise<void>((resolve, reject) =>
    mocha.run((failures) =>
      failures ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve(),
    ),
  );
}
