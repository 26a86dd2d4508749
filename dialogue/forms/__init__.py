"""Forms, one module per noun. Forms check the shape of what was typed;
the rules (who, when, limits that need the database) are the services'."""
