/** Node 20.19 or newer (package.json `engines`): `version` as in process.versions.node ("20.19.2"). */
export function nodeIsRecentEnough(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 20 || (major === 20 && minor >= 19);
}
