// Package work holds the busy functions profiled by embergen.
package work

import (
	"crypto/sha256"
	"sort"
)

// Hasher mixes bytes; its methods show up as "embergen/work.(*Hasher).Mix".
type Hasher struct {
	state [32]byte
	n     int
}

// Mix hashes the state repeatedly.
func (h *Hasher) Mix(rounds int) {
	for i := 0; i < rounds; i++ {
		h.state = sha256.Sum256(h.state[:])
		h.n += int(h.state[0])
	}
}

// Sum returns a value derived from the state.
func (h *Hasher) Sum() int { return h.n + int(h.state[1]) }

// Matrix is a small square matrix.
type Matrix [][]float64

// NewMatrix allocates an n×n matrix.
func NewMatrix(n int) Matrix {
	m := make(Matrix, n)
	for i := range m {
		m[i] = make([]float64, n)
		for j := range m[i] {
			m[i][j] = float64((i*7 + j*3) % 11)
		}
	}
	return m
}

// Mul multiplies two matrices (plain triple loop).
func (a Matrix) Mul(b Matrix) Matrix {
	n := len(a)
	c := NewMatrix(n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			s := 0.0
			for k := 0; k < n; k++ {
				s += a[i][k] * b[k][j]
			}
			c[i][j] = s
		}
	}
	return c
}

// SortInts sorts a pseudo-random slice of n ints.
func SortInts(n int, seed uint32) int {
	xs := make([]int, n)
	for i := range xs {
		seed = seed*1664525 + 1013904223
		xs[i] = int(seed >> 8)
	}
	sort.Ints(xs)
	return xs[n/2]
}
