/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SW_IOMMU_ATC_H
#define SW_IOMMU_ATC_H

/**
 * @file
 * A translation cache (ATC / device IOTLB) for software and emulated SVA
 * devices: an array of 64-bit entries the device owns (its size a power of
 * two), direct mapped, one entry per (PASID, 4 KiB page), indexed by the
 * page number xor a hash of the PASID. Device-independent: what a miss
 * does (walk a page table, raise a page request) is the device's.
 *
 * Concurrency: engines look up and fill entries while software
 * invalidates them, with no lock: every access is one relaxed atomic load
 * or store of a whole entry, and a tag says everything about it. An
 * invalidation racing a fill may leave the filled entry; the device makes
 * its engines pass a quiescent point and invalidates again.
 *
 * Header only (static inline): lookups sit on a device's per-descriptor
 * path and must cost no call.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_bitops.h>
#include <rte_common.h>

/** Entry in use. */
#define SW_IOMMU_ATC_VALID   RTE_BIT64(63)
/** The page was present when the entry was filled. */
#define SW_IOMMU_ATC_PRESENT RTE_BIT64(62)
/** PASID bits of an entry (20-bit PASIDs). */
#define SW_IOMMU_ATC_PASID_MASK 0xfffffu
/** Page-number bits an entry keeps: a page number beyond them would alias
 * another page's entry, so the device checks its address width (at most
 * 12 + SW_IOMMU_ATC_VPN_BITS bits) before any lookup. */
#define SW_IOMMU_ATC_VPN_BITS 42

/**
 * The tag of (pasid, vpn): what a valid entry for that page holds, apart
 * from SW_IOMMU_ATC_PRESENT.
 * @param pasid PASID.
 * @param vpn Page number (address >> 12).
 * @return the tag.
 */
static __rte_always_inline uint64_t
sw_iommu_atc_tag(uint32_t pasid, uint64_t vpn)
{
	return vpn << 20 | pasid | SW_IOMMU_ATC_VALID;
}

/**
 * The PASID's share of the index: spreads PASIDs that map the same
 * addresses (every process's heap starts alike) over the cache. Computed
 * once per descriptor.
 * @param pasid PASID.
 * @return its hash.
 */
static __rte_always_inline uint32_t
sw_iommu_atc_phash(uint32_t pasid)
{
	return pasid * 0x9e3779b1u;
}

/**
 * The entry (pasid, vpn) maps to, in the cache atc of mask + 1 entries;
 * phash is sw_iommu_atc_phash(pasid).
 * @param atc The cache.
 * @param mask Its number of entries minus one.
 * @param phash sw_iommu_atc_phash() of the PASID.
 * @param vpn Page number.
 * @return the entry.
 */
static __rte_always_inline uint64_t *
sw_iommu_atc_slot(uint64_t *atc, uint32_t mask, uint32_t phash, uint64_t vpn)
{
	return &atc[(vpn ^ phash) & mask];
}

/**
 * Whether (pasid, vpn) is cached.
 * @param atc The cache.
 * @param mask Its number of entries minus one.
 * @param pasid PASID.
 * @param phash sw_iommu_atc_phash(pasid).
 * @param vpn Page number.
 * @return true on a hit (present or not, per the device's fill policy).
 */
static __rte_always_inline bool
sw_iommu_atc_hit(const uint64_t *atc, uint32_t mask, uint32_t pasid,
		 uint32_t phash, uint64_t vpn)
{
	return (__atomic_load_n(&atc[(vpn ^ phash) & mask], __ATOMIC_RELAXED) &
		~SW_IOMMU_ATC_PRESENT) == sw_iommu_atc_tag(pasid, vpn);
}

/**
 * Fill slot (from sw_iommu_atc_slot()) with (pasid, vpn), present or not.
 * @param slot The entry.
 * @param pasid PASID.
 * @param vpn Page number.
 * @param present Whether the page was present.
 */
static __rte_always_inline void
sw_iommu_atc_fill(uint64_t *slot, uint32_t pasid, uint64_t vpn, bool present)
{
	__atomic_store_n(slot, sw_iommu_atc_tag(pasid, vpn) |
			 (present ? SW_IOMMU_ATC_PRESENT : 0), __ATOMIC_RELAXED);
}

/**
 * Drop every entry of the cache atc of mask + 1 entries.
 * @param atc The cache.
 * @param mask Its number of entries minus one.
 */
static inline void
sw_iommu_atc_inv_all(uint64_t *atc, uint32_t mask)
{
	for (uint32_t i = 0; i <= mask; i++)
		__atomic_store_n(&atc[i], 0, __ATOMIC_RELAXED);
}

/**
 * Drop the entries of pasid whose page number is in [first, first + pages)
 * (pages UINT64_MAX: every page of pasid). A range as wide as the cache
 * takes one pass over it, a narrower one a lookup per page.
 * @param atc The cache.
 * @param mask Its number of entries minus one.
 * @param pasid PASID.
 * @param first First page number.
 * @param pages Number of pages.
 */
static inline void
sw_iommu_atc_inv_range(uint64_t *atc, uint32_t mask, uint32_t pasid,
		       uint64_t first, uint64_t pages)
{
	uint32_t phash = sw_iommu_atc_phash(pasid);

	if (pages > mask) {
		for (uint32_t i = 0; i <= mask; i++) {
			uint64_t t = __atomic_load_n(&atc[i], __ATOMIC_RELAXED);
			uint64_t vpn = (t & ~(SW_IOMMU_ATC_VALID | SW_IOMMU_ATC_PRESENT)) >> 20;

			if ((t & SW_IOMMU_ATC_VALID) &&
			    (t & SW_IOMMU_ATC_PASID_MASK) == pasid &&
			    vpn - first < pages)
				__atomic_store_n(&atc[i], 0, __ATOMIC_RELAXED);
		}
		return;
	}
	for (uint64_t n = 0; n < pages; n++)
		if (sw_iommu_atc_hit(atc, mask, pasid, phash, first + n))
			__atomic_store_n(sw_iommu_atc_slot(atc, mask, phash, first + n),
					 0, __ATOMIC_RELAXED);
}

/**
 * Drop every entry of pasid.
 * @param atc The cache.
 * @param mask Its number of entries minus one.
 * @param pasid PASID.
 */
static inline void
sw_iommu_atc_inv_pasid(uint64_t *atc, uint32_t mask, uint32_t pasid)
{
	sw_iommu_atc_inv_range(atc, mask, pasid, 0, UINT64_MAX);
}

#endif /* SW_IOMMU_ATC_H */
