"""Bundle assembly: framing, guards, bundle, ticket, pretty printing, the atomic writer."""
