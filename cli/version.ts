/** Sluice's version, as `sluice version`, the API's status and its OpenAPI document give it. */
export const VERSION = "0.1.0";
