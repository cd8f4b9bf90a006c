import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// A first render of a whole test app can take over a second on a busy
// 2-core CI machine; the default 1 s wait made such tests fail at random.
configure({ asyncUtilTimeout: 5000 });

// For the same reason a whole test, which may wait 5 s for one element, gets
// 20 s: a slow machine fails nothing, a hung test still fails.
jest.setTimeout(20_000);
