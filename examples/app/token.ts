// `npm run -s token -- --scope read:patient`: `fetch-batteries token` with the demo's development
// settings (those `npm start` fills in when ENVIRONMENT is unset), so the token it prints is one
// the running demo (http://localhost:8080) accepts. A variable set in the shell still wins.
import { main } from '../../src/cli/main.ts';
import { developmentDefaults } from './dev-env.ts';

developmentDefaults(process.env);
const { code, out, err } = await main(['token', ...process.argv.slice(2)], process.env, process.cwd());
process.stdout.write(out);
if (err) process.stderr.write(err);
process.exitCode = code;
