SELECT E'continued'
    -- a comment between the parts
    'it\'s; the same string'