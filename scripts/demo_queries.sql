-- demo_queries.sql: demo queries over the sample minibar database
-- (test/fixtures/minibar_sample.sql) once it is imported into PostgreSQL as
-- foreign tables in schema minibar_sample.
--
--   psql -X -d DBNAME -f scripts/demo_queries.sql
--
-- Column types after import: INTEGER -> bigint, VARCHAR/TEXT -> text,
-- BOOLEAN -> boolean, DATETIME -> timestamptz, DATE -> date,
-- NUMERIC(10, 2) -> numeric(10,2), FLOAT -> double precision, JSON -> jsonb,
-- BLOB -> bytea. Names keep their SQLite spelling, so rooms."QRCode" (mixed
-- case) and product_groups."order" (reserved word) must be double-quoted.
-- The DATETIME values carry no zone and are read as UTC.

\set ON_ERROR_STOP on
\pset null '(null)'

\echo '1. Row count of every table'
SELECT 'audit_logs' AS table_name, count(*) AS row_count FROM minibar_sample.audit_logs
UNION ALL SELECT 'floors', count(*) FROM minibar_sample.floors
UNION ALL SELECT 'hotels', count(*) FROM minibar_sample.hotels
UNION ALL SELECT 'minibar_transaction_details', count(*) FROM minibar_sample.minibar_transaction_details
UNION ALL SELECT 'minibar_transactions', count(*) FROM minibar_sample.minibar_transactions
UNION ALL SELECT 'product_groups', count(*) FROM minibar_sample.product_groups
UNION ALL SELECT 'products', count(*) FROM minibar_sample.products
UNION ALL SELECT 'rooms', count(*) FROM minibar_sample.rooms
UNION ALL SELECT 'stock_movements', count(*) FROM minibar_sample.stock_movements
UNION ALL SELECT 'users', count(*) FROM minibar_sample.users
ORDER BY table_name;

\echo '2. Rooms per hotel and floor (active rooms, rooms without a QR code)'
SELECT h.name AS hotel,
       f.floor_no,
       f.name AS floor,
       count(r.id) AS rooms,
       count(r.id) FILTER (WHERE r.is_active) AS active_rooms,
       count(r.id) FILTER (WHERE r."QRCode" IS NULL) AS rooms_without_qr,
       sum(r.capacity) AS beds
FROM minibar_sample.hotels h
JOIN minibar_sample.floors f ON f.hotel_id = h.id
LEFT JOIN minibar_sample.rooms r ON r.floor_id = f.id
GROUP BY h.id, h.name, f.floor_no, f.name
ORDER BY h.id, f.floor_no;

\echo '3. Users per role (active users, users without a hotel)'
SELECT u.role,
       count(*) AS users,
       count(*) FILTER (WHERE u.is_active) AS active,
       count(*) FILTER (WHERE u.hotel_id IS NULL) AS without_hotel,
       max(u.last_login) AS last_login
FROM minibar_sample.users u
GROUP BY u.role
ORDER BY users DESC, u.role;

\echo '4. Top 10 products by quantity sold from minibars, with revenue'
SELECT p.name AS product,
       g.name AS product_group,
       sum(d.consumed_quantity) AS quantity_sold,
       sum(d.consumed_quantity * d.unit_price) AS revenue,
       round(sum(d.consumed_quantity * d.unit_price)
             / nullif(sum(d.consumed_quantity), 0), 2) AS avg_unit_price
FROM minibar_sample.minibar_transaction_details d
JOIN minibar_sample.products p ON p.id = d.product_id
JOIN minibar_sample.product_groups g ON g.id = p.group_id
WHERE d.consumed_quantity > 0
GROUP BY p.id, p.name, g.name
ORDER BY quantity_sold DESC, revenue DESC, p.name
LIMIT 10;

\echo '5. Warehouse stock on hand per product (all hotels), lowest first'
SELECT p.id,
       p.name AS product,
       sum(m.quantity) FILTER (WHERE m.movement_type IN ('devir', 'giris')) AS received,
       sum(m.quantity) FILTER (WHERE m.movement_type = 'cikis') AS issued,
       sum(m.quantity) FILTER (WHERE m.movement_type = 'fire') AS wasted,
       sum(CASE WHEN m.movement_type IN ('devir', 'giris') THEN m.quantity ELSE -m.quantity END) AS on_hand,
       p.critical_stock_level,
       min(m.expiry_date) FILTER (WHERE m.expiry_date >= date '2024-06-30') AS next_expiry
FROM minibar_sample.products p
JOIN minibar_sample.stock_movements m ON m.product_id = p.id
WHERE p.is_active
GROUP BY p.id, p.name, p.critical_stock_level
ORDER BY on_hand, p.id
LIMIT 15;

\echo '6. Product price changes recorded in the audit log (jsonb ->, ->>, #>>)'
SELECT a.created_at,
       a.record_id AS product_id,
       a.new_values ->> 'name' AS product,
       (a.old_values ->> 'sale_price')::numeric(10,2) AS old_price,
       (a.new_values ->> 'sale_price')::numeric(10,2) AS new_price,
       a.new_values #>> '{meta,updated_by}' AS updated_by,
       a.new_values #>> '{meta,reason}' AS reason
FROM minibar_sample.audit_logs a
WHERE a.table_name = 'products'
  AND a.action = 'update'
  AND a.old_values -> 'sale_price' IS DISTINCT FROM a.new_values -> 'sale_price'
ORDER BY a.created_at DESC
LIMIT 10;

\echo '7. Audit log entries that deactivated a record (jsonb @>), per table'
SELECT a.table_name,
       count(*) AS deactivations,
       count(*) FILTER (WHERE a.user_id IS NULL) AS by_system,
       min(a.created_at) AS first_seen,
       max(a.created_at) AS last_seen
FROM minibar_sample.audit_logs a
WHERE a.action = 'update'
  AND a.old_values @> '{"is_active": true}'
  AND a.new_values @> '{"is_active": false}'
GROUP BY a.table_name
ORDER BY a.table_name;

\echo '8. Product thumbnails (bytea) per product group: format by magic bytes, size'
SELECT g."order" AS sort_order,
       g.name AS product_group,
       g.is_active AS group_active,
       count(*) AS products,
       count(p.image_thumbnail) AS with_thumbnail,
       count(*) FILTER (WHERE substr(p.image_thumbnail, 1, 4) = '\x89504e47'::bytea) AS png,
       count(*) FILTER (WHERE substr(p.image_thumbnail, 1, 3) = '\xffd8ff'::bytea) AS jpeg,
       count(*) FILTER (WHERE substr(p.image_thumbnail, 1, 4) = '\x52494646'::bytea) AS riff_webp,
       min(octet_length(p.image_thumbnail)) AS min_bytes,
       max(octet_length(p.image_thumbnail)) AS max_bytes,
       sum(octet_length(p.image_thumbnail)) AS total_bytes,
       string_agg(DISTINCT encode(substr(p.image_thumbnail, 1, 4), 'hex'), ' ') AS magic_hex
FROM minibar_sample.product_groups g
JOIN minibar_sample.products p ON p.group_id = g.id
GROUP BY g.id, g."order", g.name, g.is_active
ORDER BY g."order";
