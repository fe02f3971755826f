"""灾备 (backup, restore, disaster recovery): one backup set = the database dumped by its engine's
own tools, the uploaded files and a manifest (row counts, migration state, audit chain head, a
digest of every file); a restore puts a set into an empty database and proves it against the
manifest. The search index is rebuilt, not backed up; keys are backed up separately."""
