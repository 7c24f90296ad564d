"""The only code that writes: files, trees, the manifest of what govkit wrote, staging and swap."""
