"""Tables, one module per aggregate; importing this package registers them all."""
