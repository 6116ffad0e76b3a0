SELECT 'multi
line; string', '', ''''