import { contractVersionProblem, parseContractVersion } from './versions';

describe('contractVersionProblem', () => {
  it('asks breaking changes for a new major version and other changes for a newer one', () => {
    expect(contractVersionProblem('2.3.0', '2.4.0', 'major')).toBe(
      'breaking changes need a new major version: 2.3.0 -> 2.4.0 is not one',
    );
    expect(contractVersionProblem('2.3.0', '3.0.0', 'major')).toBeUndefined();
    expect(contractVersionProblem('2.3.0', '2.3.1', 'minor')).toBe(
      'the changes need at least a new minor version: 2.3.0 -> 2.3.1 is not one',
    );
    expect(contractVersionProblem('2.3.0', '2.3.0', 'patch')).toBe(
      'the changes need at least a new patch version: 2.3.0 -> 2.3.0 is not one',
    );
    expect(contractVersionProblem('2.3.0', '2.3.0', 'none')).toBeUndefined();
    expect(contractVersionProblem('2.3.0', 'next', 'major')).toBe(
      'the changes need a new major version, but next is not a semantic version (MAJOR.MINOR.PATCH) to compare',
    );
  });
});

describe('parseContractVersion', () => {
  it('reads semantic versions as contracts write them, and nothing else', () => {
    expect(parseContractVersion('1.2.3')).toEqual({
      major: 1,
      minor: 2,
      patch: 3,
    });
    expect(parseContractVersion(' v2 ')).toEqual({
      major: 2,
      minor: 0,
      patch: 0,
    });
    expect(parseContractVersion('3.1')).toEqual({
      major: 3,
      minor: 1,
      patch: 0,
    });
    expect(parseContractVersion('2.0.0-rc.1')).toEqual({
      major: 2,
      minor: 0,
      patch: 0,
    });
    expect(parseContractVersion('next')).toBeUndefined();
    expect(parseContractVersion('1.2.3.4')).toBeUndefined();
  });

  it('lets a shorter version stand for its zeros', () => {
    expect(contractVersionProblem('v1', '2.0', 'major')).toBeUndefined();
    expect(contractVersionProblem('1.4', '1.4.0', 'patch')).toBe(
      'the changes need at least a new patch version: 1.4 -> 1.4.0 is not one',
    );
  });
});
