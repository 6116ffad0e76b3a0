INSERT INTO collection_metadata SELECT id, json FROM records_metadata
  WHERE json->>'$schema' = 'https://bib.rero.ch/schemas/collections/collection-v0.0.1.json'