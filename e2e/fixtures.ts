// Stand-in until the accounts work lands: the lead swaps in a fixture whose `page` is signed in.
export { expect, test } from "@playwright/test";
