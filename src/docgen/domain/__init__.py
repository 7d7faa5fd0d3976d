"""The domain: the models of every file, the process definition, vocabularies and aliases."""
