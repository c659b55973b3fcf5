contract Sub {}
