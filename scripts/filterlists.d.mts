/** EasyList and EasyPrivacy's paths, provisioned from Debian's uBlock Origin package; throws how to get them. */
export function filterLists(): string[];
