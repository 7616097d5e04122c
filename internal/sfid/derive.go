package sfid

import "hash/fnv"

// derivedSlots is how many IDs Derive gives one key: the low part of the number.
const derivedSlots = 256

// maxNumber is the number of 9-character base-62 numbers New can encode.
const maxNumber = 13537086546263552 // 62^9

// Derive returns the ID of the slot-th thing Forcefield derives from key rather than
// stores (slot < 256): Salesforce's default list views (prefix 00B) have an ID in every
// org, and the same org, object and view must get the same ID on every call, on every
// node and after a restart, with nothing written. The number is an FNV-1a hash of key
// times 256 plus slot, so the IDs of one key sort (and compare as strings) in slot order.
func Derive(prefix, pod, key string, slot int) ID {
	if slot < 0 || slot >= derivedSlots {
		panic("sfid.Derive: slot out of range")
	}
	h := fnv.New64a()
	h.Write([]byte(key))
	n := h.Sum64()%(maxNumber/derivedSlots)*derivedSlots + uint64(slot)
	return New(prefix, pod, n)
}
