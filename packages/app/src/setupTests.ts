import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Waits and test times as the plugins' frontend tests have them (see
// plugins/data-mesh/src/setupTests.ts): a busy machine is slow, not wrong.
configure({ asyncUtilTimeout: 15_000 });
jest.setTimeout(60_000);
