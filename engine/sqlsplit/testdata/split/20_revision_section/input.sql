CREATE TABLE collection_metadata (id uuid PRIMARY KEY, json jsonb);
INSERT INTO collection_metadata SELECT id, json FROM records_metadata
  WHERE json->>'$schema' = 'https://bib.rero.ch/schemas/collections/collection-v0.0.1.json';
SELECT json ? 'key', json ?| array['a;b'], '{"a":1}'::jsonb @> '{}';
SELECT arr[1:2], x::text, 1.5e-3, .5, 42 FROM t WHERE a<>b AND c!=d;
