/** Demo content for `npm run db:seed`: realistic diffs and questions (no database code). */

export const demoApprovals = [
  {
    filePath: "src/cache/lru.ts",
    agentId: "self-improving-agent",
    description:
      "Evict least-recently-used entries when the cache is full, and count hits and misses.",
    diff: `diff --git a/src/cache/lru.ts b/src/cache/lru.ts
index 3b18e51..a9c2f4d 100644
--- a/src/cache/lru.ts
+++ b/src/cache/lru.ts
@@ -1,12 +1,18 @@
 export class LruCache<K, V> {
   private readonly map = new Map<K, V>();
+  hits = 0;
+  misses = 0;
 
   constructor(private readonly capacity: number) {}
 
   get(key: K): V | undefined {
     const value = this.map.get(key);
-    if (value === undefined) return undefined;
+    if (value === undefined) {
+      this.misses++;
+      return undefined;
+    }
     this.map.delete(key);
     this.map.set(key, value);
+    this.hits++;
     return value;
   }
@@ -20,6 +24,9 @@ export class LruCache<K, V> {
   set(key: K, value: V): void {
     this.map.delete(key);
     this.map.set(key, value);
-    // TODO: evict
+    if (this.map.size > this.capacity) {
+      const oldest = this.map.keys().next().value as K;
+      this.map.delete(oldest);
+    }
   }
 }
diff --git a/src/cache/lru.test.ts b/src/cache/lru.test.ts
new file mode 100644
index 0000000..5d1e2f0
--- /dev/null
+++ b/src/cache/lru.test.ts
@@ -0,0 +1,11 @@
+import { expect, test } from "vitest";
+import { LruCache } from "./lru";
+
+test("evicts the least recently used entry", () => {
+  const cache = new LruCache<string, number>(2);
+  cache.set("a", 1);
+  cache.set("b", 2);
+  cache.get("a");
+  cache.set("c", 3);
+  expect(cache.get("b")).toBeUndefined();
+});
`,
  },
  {
    filePath: "services/billing/invoice.py",
    agentId: "refactor-bot",
    description: "Round invoice totals with Decimal instead of float.",
    diff: `--- a/services/billing/invoice.py
+++ b/services/billing/invoice.py
@@ -1,9 +1,10 @@
+from decimal import Decimal, ROUND_HALF_UP
 from dataclasses import dataclass
 
 
 @dataclass
 class Line:
     description: str
-    amount: float
+    amount: Decimal
     quantity: int = 1
 
@@ -14,4 +15,5 @@ class Invoice:
     lines: list[Line]
 
-    def total(self) -> float:
-        return round(sum(l.amount * l.quantity for l in self.lines), 2)
+    def total(self) -> Decimal:
+        raw = sum((l.amount * l.quantity for l in self.lines), Decimal("0"))
+        return raw.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
`,
  },
  {
    filePath: "cmd/server/main.go",
    agentId: "architect-agent",
    description: "Shut the HTTP server down gracefully on SIGTERM.",
    diff: `--- a/cmd/server/main.go
+++ b/cmd/server/main.go
@@ -3,9 +3,24 @@ package main
 import (
+	"context"
 	"log"
 	"net/http"
+	"os"
+	"os/signal"
+	"syscall"
+	"time"
 )
 
 func main() {
 	srv := &http.Server{Addr: ":8080", Handler: routes()}
-	log.Fatal(srv.ListenAndServe())
+	go func() {
+		if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
+			log.Fatal(err)
+		}
+	}()
+	stop := make(chan os.Signal, 1)
+	signal.Notify(stop, syscall.SIGTERM, os.Interrupt)
+	<-stop
+	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
+	defer cancel()
+	_ = srv.Shutdown(ctx)
 }
`,
  },
  {
    filePath: "db/migrations/0042_orders_index.sql",
    agentId: "self-improving-agent",
    description: "Index orders by customer for the account page.",
    diff: `--- /dev/null
+++ b/db/migrations/0042_orders_index.sql
@@ -0,0 +1,2 @@
+CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_customer_id
+  ON orders (customer_id, created_at DESC);
`,
  },
  {
    filePath: "web/styles/button.css",
    agentId: "refactor-bot",
    description: "Visible focus ring for keyboard users.",
    diff: `--- a/web/styles/button.css
+++ b/web/styles/button.css
@@ -4,4 +4,8 @@
   border-radius: 6px;
   padding: 0.5rem 1rem;
-  outline: none;
 }
+
+.button:focus-visible {
+  outline: 2px solid var(--focus);
+  outline-offset: 2px;
+}
`,
  },
] as const;

export const demoQuestions = [
  {
    agentId: "architect-agent",
    question:
      "Which cache should I use for session data: Redis or the PostgreSQL table we already have?",
    context: {
      service: "auth",
      load: { sessions_per_day: 120000, peak_rps: 85 },
      options: [
        { name: "redis", pros: ["fast", "TTL built in"], cons: ["new dependency"] },
        { name: "postgres", pros: ["already deployed"], cons: ["vacuum pressure"] },
      ],
    },
  },
  {
    agentId: "self-improving-agent",
    question: "The test suite takes 14 minutes. May I split it into 4 parallel CI jobs?",
    context: {
      ci: { provider: "github-actions", current_minutes: 14, runners: 1 },
      estimate: { minutes: 4.5 },
    },
  },
  {
    agentId: "docs-agent",
    question: "Should the public API docs mention the deprecated /v0 endpoints?",
    context: { endpoints: ["/v0/items", "/v0/users"], traffic_share: 0.021, sunset: "2027-03-01" },
  },
] as const;
