import { version } from "@/package.json";

/** The CLI's version is the package's (`retune --version`, the User-Agent it sends). */
export const VERSION: string = version;
