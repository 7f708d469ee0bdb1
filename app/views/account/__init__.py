"""The account workspace: header, tabs, forms and the item tables they share."""
