"""Review: correcting fields and setting the status, optimistic versions, a full change history."""
