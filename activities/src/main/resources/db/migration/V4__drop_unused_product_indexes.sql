-- No query reads products by vendor or by our own updated_at: batch-update filters scan a snapshot
-- of the matching ids once, and incremental syncs go by Shopify's updated_at. Each index cost every
-- product insert and update a second B-tree write: together about a third of a product insert's
-- time (bench/ImportBench). Add an index back with the query that needs it.
drop index if exists products_vendor_idx;
drop index if exists products_updated_at_idx;
