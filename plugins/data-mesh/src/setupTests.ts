import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// A first render of a whole test app (lazy pages, theme, APIs) can take
// seconds on a busy 2-core CI machine: the default 1 s wait, then 5 s, made
// such tests fail at random. A wait ends as soon as what it waits for shows,
// so only a failing test waits the whole time.
configure({ asyncUtilTimeout: 15_000 });

// For the same reason a whole test, which may wait 15 s for one element,
// gets 60 s: a slow machine fails nothing, a hung test still fails.
jest.setTimeout(60_000);
