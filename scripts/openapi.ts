// `npm run openapi`: writes the OpenAPI document of mock-backend/openapi.ts to docs/openapi.json.
// mock-backend/openapi.test.ts fails when the file is not what this would write.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPENAPI_FILE, openapiFileText } from '../mock-backend/openapi.ts';

const target = join(import.meta.dirname, '..', OPENAPI_FILE);
writeFileSync(target, openapiFileText());
console.log(`wrote ${OPENAPI_FILE}`);
