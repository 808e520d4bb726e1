// Placeholder until the accounts work lands: the lead swaps in the fixture whose `page`
// is signed in. Specs import `test`/`expect` from here, never from @playwright/test.
export { expect, test } from "@playwright/test";
