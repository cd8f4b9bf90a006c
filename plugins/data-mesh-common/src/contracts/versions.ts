import type { requiredVersionBump } from './changes';

/**
 * A contract version read as a semantic version: `1.2.3`, `v1.2.3`, `3.0`
 * or `v2` (missing parts are 0), with any pre-release or build suffix
 * ignored.
 *
 * @public
 */
export function parseContractVersion(
  version: string,
): { major: number; minor: number; patch: number } | undefined {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+].*)?$/i.exec(
    version.trim(),
  );
  if (!match) return undefined;
  return {
    major: Number(match[1]),
    minor: Number(match[2] ?? 0),
    patch: Number(match[3] ?? 0),
  };
}

/**
 * Why `proposed` is not the version `bump` asks for after `current` (a new
 * major one for breaking changes, at least a new minor or patch one for the
 * others), or undefined when it is, when nothing changed, or when either
 * version is unknown.
 *
 * @public
 */
export function contractVersionProblem(
  current: string | undefined,
  proposed: string | undefined,
  bump: ReturnType<typeof requiredVersionBump>,
): string | undefined {
  if (bump === 'none' || current === undefined || proposed === undefined) {
    return undefined;
  }
  const a = parseContractVersion(current);
  const b = parseContractVersion(proposed);
  if (!a || !b) {
    return `the changes need a new ${bump} version, but ${
      a ? proposed : current
    } is not a semantic version (MAJOR.MINOR.PATCH) to compare`;
  }
  const newMajor = b.major > a.major;
  const newMinor = newMajor || (b.major === a.major && b.minor > a.minor);
  const newer =
    newMinor ||
    (b.major === a.major && b.minor === a.minor && b.patch > a.patch);
  const arrow = `${current} -> ${proposed}`;
  if (bump === 'major' && !newMajor) {
    return `breaking changes need a new major version: ${arrow} is not one`;
  }
  if (bump === 'minor' && !newMinor) {
    return `the changes need at least a new minor version: ${arrow} is not one`;
  }
  if (bump === 'patch' && !newer) {
    return `the changes need at least a new patch version: ${arrow} is not one`;
  }
  return undefined;
}
