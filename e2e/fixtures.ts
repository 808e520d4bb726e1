// Stand-in until the accounts work lands: the lead swaps in fixtures with a signed-in `page`.
export { expect, test } from "@playwright/test";
