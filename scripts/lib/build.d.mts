export const root: string;
export const nextBin: string;
export function needsBuild(): boolean;
export function ensureBuild(): number;
