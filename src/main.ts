/** What the runner starts (dist/index.js). */
import { run } from './start.js';

await run();
