export declare const BUMPS: readonly ['patch', 'minor', 'major'];
export declare function bumpVersion(version: string, bump: string): string;
export declare function releaseChangelog(text: string, version: string, date: string): string;
export declare function withVersion(jsonText: string, version: string): string;
