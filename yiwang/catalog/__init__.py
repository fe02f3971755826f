"""Service-item catalogue (事项目录): items with GB/T 39554 codes, versioned guides (办事指南) with
materials and the online form definition, life events and themes, synonyms, import/export and
search. Only the published version of an item is public."""
