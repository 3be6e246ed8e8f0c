// Where tests find the built artefacts and write what humans review.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const dataDir = join(root, 'data');
export const resultsDir = join(root, 'test-results');
