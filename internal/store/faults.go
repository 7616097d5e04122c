package store

import "github.com/forcefield/forcefield/internal/faults"

// Faults stores the faults injected on demand (issue 14 §1, package faults): every node
// reads the same ones, and a count fault is claimed with one atomic statement so that
// "the next N requests" is exactly N across racing requests and nodes. The methods are
// documented on faults.Store; DeleteFault of a missing fault wraps ErrNotFound.
type Faults interface {
	faults.Store
}
