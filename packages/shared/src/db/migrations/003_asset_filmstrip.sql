-- Ingest (apps/render/src/ingest) writes a filmstrip sprite per asset; its layout (tile
-- size, grid, time between tiles) is what lets the editor cut tiles out of the sprite.
-- Shape: {"version":1,"tileWidth","tileHeight","columns","rows","count","intervalUs"}.
-- PostgreSQL 15 and 18 alike.
alter table assets add column if not exists filmstrip jsonb;
