/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_KABI_H
#define SVA_KABI_H

/*
 * Our own definitions of the kernel ABIs the sva_iommufd driver speaks.
 * Layouts and numbers are facts of the kernel uAPI (iommufd.h, vfio.h) and
 * of the seeds' never-merged VFIO SVA series; names are ours, so we build
 * against any installed kernel header (Debian 12 ships 6.1 ones, which
 * lack fault queues and PASID attach). Every size and key offset is
 * checked at build time.
 */

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>

/* ---------------------------------------------------------------- iommufd */
#define SVA_IOMMUFD_TYPE ';'
/* command numbers (IOMMUFD_CMD_*) */
#define SVA_IOMMUFD_CMD_DESTROY         0x80
#define SVA_IOMMUFD_CMD_IOAS_ALLOC      0x81
#define SVA_IOMMUFD_CMD_IOAS_MAP        0x85
#define SVA_IOMMUFD_CMD_IOAS_UNMAP      0x86
#define SVA_IOMMUFD_CMD_HWPT_ALLOC      0x89
#define SVA_IOMMUFD_CMD_GET_HW_INFO     0x8a   /* 6.6 */
#define SVA_IOMMUFD_CMD_FAULT_ALLOC     0x8e   /* 6.11 */

#define SVA_IOMMU_DESTROY      _IO(SVA_IOMMUFD_TYPE, SVA_IOMMUFD_CMD_DESTROY)
#define SVA_IOMMU_IOAS_ALLOC   _IO(SVA_IOMMUFD_TYPE, SVA_IOMMUFD_CMD_IOAS_ALLOC)
#define SVA_IOMMU_IOAS_MAP     _IO(SVA_IOMMUFD_TYPE, SVA_IOMMUFD_CMD_IOAS_MAP)
#define SVA_IOMMU_IOAS_UNMAP   _IO(SVA_IOMMUFD_TYPE, SVA_IOMMUFD_CMD_IOAS_UNMAP)
#define SVA_IOMMU_HWPT_ALLOC   _IO(SVA_IOMMUFD_TYPE, SVA_IOMMUFD_CMD_HWPT_ALLOC)
#define SVA_IOMMU_GET_HW_INFO  _IO(SVA_IOMMUFD_TYPE, SVA_IOMMUFD_CMD_GET_HW_INFO)
#define SVA_IOMMU_FAULT_QUEUE_ALLOC _IO(SVA_IOMMUFD_TYPE, SVA_IOMMUFD_CMD_FAULT_ALLOC)

struct sva_iommufd_destroy {
	uint32_t size;
	uint32_t id;
};

struct sva_iommufd_ioas_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t out_ioas_id;
};

#define SVA_IOAS_MAP_FIXED_IOVA (1u << 0)
#define SVA_IOAS_MAP_WRITEABLE  (1u << 1)
#define SVA_IOAS_MAP_READABLE   (1u << 2)
struct sva_iommufd_ioas_map {
	uint32_t size;
	uint32_t flags;
	uint32_t ioas_id;
	uint32_t reserved;
	uint64_t user_va;
	uint64_t length;
	uint64_t iova;
};

struct sva_iommufd_ioas_unmap {
	uint32_t size;
	uint32_t ioas_id;
	uint64_t iova;
	uint64_t length;
};

#define SVA_HWPT_ALLOC_NEST_PARENT     (1u << 0)
#define SVA_HWPT_ALLOC_DIRTY_TRACKING  (1u << 1)
#define SVA_HWPT_FAULT_ID_VALID        (1u << 2)  /* 6.11 */
#define SVA_HWPT_ALLOC_PASID           (1u << 3)  /* 6.15 */
/* Size before fault_id (6.7 .. 6.10); 6.11 made it 48 bytes. */
#define SVA_HWPT_ALLOC_SIZE_V1 40
struct sva_iommufd_hwpt_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t dev_id;
	uint32_t pt_id;
	uint32_t out_hwpt_id;
	uint32_t reserved;
	uint32_t data_type;
	uint32_t data_len;
	uint64_t data_uptr;
	uint32_t fault_id;
	uint32_t reserved2;
};

struct sva_iommufd_hw_info {
	uint32_t size;
	uint32_t flags;
	uint32_t dev_id;
	uint32_t data_len;
	uint64_t data_uptr;
	uint32_t out_data_type;
	uint8_t out_max_pasid_log2;   /* 6.15; reserved (0) before */
	uint8_t reserved[3];
	uint64_t out_capabilities;
};
#define SVA_HW_CAP_DIRTY_TRACKING  (1ull << 0)
#define SVA_HW_CAP_PCI_PASID_EXEC  (1ull << 1)
#define SVA_HW_CAP_PCI_PASID_PRIV  (1ull << 2)

struct sva_iommufd_fault_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t out_fault_id;
	uint32_t out_fault_fd;
};

/* One record read from a fault fd (struct iommu_hwpt_pgfault). */
#define SVA_PGFAULT_F_PASID_VALID (1u << 0)
#define SVA_PGFAULT_F_LAST_PAGE   (1u << 1)
#define SVA_PGFAULT_PERM_READ     (1u << 0)
#define SVA_PGFAULT_PERM_WRITE    (1u << 1)
#define SVA_PGFAULT_PERM_EXEC     (1u << 2)
#define SVA_PGFAULT_PERM_PRIV     (1u << 3)
struct sva_iommufd_pgfault {
	uint32_t flags;
	uint32_t dev_id;
	uint32_t pasid;
	uint32_t grpid;
	uint32_t perm;
	uint32_t reserved;
	uint64_t addr;
	uint32_t length;
	uint32_t cookie;
};

/* One response written to a fault fd (struct iommu_hwpt_page_response). */
#define SVA_IOMMUFD_RESP_SUCCESS 0
#define SVA_IOMMUFD_RESP_INVALID 1
struct sva_iommufd_page_response {
	uint32_t cookie;
	uint32_t code;
};

static_assert(sizeof(struct sva_iommufd_destroy) == 8, "iommu_destroy");
static_assert(sizeof(struct sva_iommufd_ioas_alloc) == 12, "ioas_alloc");
static_assert(sizeof(struct sva_iommufd_ioas_map) == 40, "ioas_map");
static_assert(offsetof(struct sva_iommufd_ioas_map, user_va) == 16, "user_va");
static_assert(offsetof(struct sva_iommufd_ioas_map, iova) == 32, "iova");
static_assert(sizeof(struct sva_iommufd_ioas_unmap) == 24, "ioas_unmap");
static_assert(sizeof(struct sva_iommufd_hwpt_alloc) == 48, "hwpt_alloc");
static_assert(offsetof(struct sva_iommufd_hwpt_alloc, data_uptr) == 32, "data_uptr");
static_assert(offsetof(struct sva_iommufd_hwpt_alloc, fault_id) ==
	      SVA_HWPT_ALLOC_SIZE_V1, "fault_id");
static_assert(sizeof(struct sva_iommufd_hw_info) == 40, "hw_info");
static_assert(offsetof(struct sva_iommufd_hw_info, out_max_pasid_log2) == 28,
	      "max_pasid_log2");
static_assert(offsetof(struct sva_iommufd_hw_info, out_capabilities) == 32, "caps");
static_assert(sizeof(struct sva_iommufd_fault_alloc) == 16, "fault_alloc");
static_assert(sizeof(struct sva_iommufd_pgfault) == 40, "pgfault");
static_assert(offsetof(struct sva_iommufd_pgfault, addr) == 24, "pgfault addr");
static_assert(offsetof(struct sva_iommufd_pgfault, length) == 32, "pgfault len");
static_assert(offsetof(struct sva_iommufd_pgfault, cookie) == 36, "pgfault cookie");
static_assert(sizeof(struct sva_iommufd_page_response) == 8, "page_response");

/* ------------------------------------------- iommufd's test mock device */
/*
 * IOMMU_TEST_CMD exists on kernels built with CONFIG_IOMMUFD_TEST: a mock
 * IOMMU and mock devices driven from user space (the kernel's own iommufd
 * selftest uses them). What we use: create a PASID-capable mock device
 * attached to an IOAS, attach/detach a hwpt at a PASID of it, raise a
 * page request from it (always a one-record group: LAST_PAGE set), and
 * ask whether the mock domain maps an IOVA to a user page.
 */
#define SVA_IOMMUFD_CMD_TEST            0xa0   /* IOMMUFD_CMD_BASE + 32 */
#define SVA_IOMMU_TEST_CMD     _IO(SVA_IOMMUFD_TYPE, SVA_IOMMUFD_CMD_TEST)
#define SVA_TEST_OP_MOCK_DOMAIN         2
#define SVA_TEST_OP_MD_CHECK_MAP        3
#define SVA_TEST_OP_MOCK_DOMAIN_REPLACE 10
#define SVA_TEST_OP_MOCK_DOMAIN_FLAGS   12
#define SVA_TEST_OP_TRIGGER_IOPF        15
#define SVA_TEST_OP_PASID_ATTACH        18
#define SVA_TEST_OP_PASID_REPLACE       19
#define SVA_TEST_OP_PASID_DETACH        20
#define SVA_TEST_OP_PASID_CHECK_HWPT    21
#define SVA_MOCK_FLAGS_DEVICE_PASID     (1u << 2)
/* The mock IOMMU's aperture: IOVAs (hence, with IOVA == VA, the buffers
 * a lab case maps) must lie in [16 MiB, 2 GiB). */
#define SVA_MOCK_APERTURE_START  (1ull << 24)
#define SVA_MOCK_APERTURE_LAST   ((1ull << 31) - 1)
#define SVA_MOCK_PASID_WIDTH     20

/*
 * The command: a 16-byte header, a union of per-op arguments, then a
 * "last" word. The union has grown over kernel versions, moving "last";
 * the kernel takes any size from its minimum up as long as the bytes it
 * does not know are zero, so we send a zeroed 128-byte block: the fields
 * we use sit at fixed offsets, whatever the kernel's union size.
 */
struct sva_iommufd_test_cmd {
	uint32_t size;
	uint32_t op;
	uint32_t id;
	uint32_t reserved;
	union {
		struct {
			uint32_t out_stdev_id;
			uint32_t out_hwpt_id;
			uint32_t out_idev_id;   /* the iommufd device id */
			uint32_t dev_flags;     /* MOCK_DOMAIN_FLAGS only */
		} mock_domain;
		struct {
			uint32_t pt_id;      /* in: hwpt or IOAS; out: hwpt */
		} mock_domain_replace;
		struct {
			uint64_t iova;
			uint64_t length;
			uint64_t uptr;
		} check_map;
		struct {
			uint32_t dev_id;
			uint32_t pasid;
			uint32_t grpid;
			uint32_t perm;
			uint64_t addr;
		} trigger_iopf;
		struct {
			uint32_t pasid;
			uint32_t pt_id;      /* in: hwpt or IOAS; out: hwpt */
		} pasid_attach;
		struct {
			uint32_t pasid;
		} pasid_detach;
		struct {
			uint32_t pasid;
			uint32_t hwpt_id;    /* 0: expect no domain */
		} pasid_check;
		uint8_t pad[112];
	};
};

static_assert(sizeof(struct sva_iommufd_test_cmd) == 128, "test_cmd");
static_assert(offsetof(struct sva_iommufd_test_cmd, mock_domain) == 16, "test_cmd union");
static_assert(offsetof(struct sva_iommufd_test_cmd, trigger_iopf.addr) == 32, "iopf addr");
static_assert(offsetof(struct sva_iommufd_test_cmd, check_map.uptr) == 32, "check_map uptr");

/* ------------------------------------------------------------ VFIO (cdev) */
#define SVA_VFIO_TYPE ';'
#define SVA_VFIO_BASE 100
#define SVA_VFIO_GET_API_VERSION      _IO(SVA_VFIO_TYPE, SVA_VFIO_BASE + 0)
#define SVA_VFIO_CHECK_EXTENSION      _IO(SVA_VFIO_TYPE, SVA_VFIO_BASE + 1)
#define SVA_VFIO_DEVICE_GET_REGION_INFO _IO(SVA_VFIO_TYPE, SVA_VFIO_BASE + 8)
#define SVA_VFIO_DEVICE_BIND_IOMMUFD  _IO(SVA_VFIO_TYPE, SVA_VFIO_BASE + 18) /* 6.6 */
#define SVA_VFIO_DEVICE_ATTACH_PT     _IO(SVA_VFIO_TYPE, SVA_VFIO_BASE + 19)
#define SVA_VFIO_DEVICE_DETACH_PT     _IO(SVA_VFIO_TYPE, SVA_VFIO_BASE + 20)
#define SVA_VFIO_TYPE1_IOMMU   1
#define SVA_VFIO_TYPE1v2_IOMMU 3

struct sva_vfio_bind_iommufd {
	uint32_t argsz;
	uint32_t flags;
	int32_t iommufd;
	uint32_t out_devid;
};

#define SVA_VFIO_ATTACH_PASID (1u << 0)   /* 6.15 */
struct sva_vfio_attach_pt {
	uint32_t argsz;
	uint32_t flags;
	uint32_t pt_id;
	uint32_t pasid;
};
#define SVA_VFIO_ATTACH_PT_MINSZ 12   /* up to pt_id */

#define SVA_VFIO_DETACH_PASID (1u << 0)   /* 6.15 */
struct sva_vfio_detach_pt {
	uint32_t argsz;
	uint32_t flags;
	uint32_t pasid;
};
#define SVA_VFIO_DETACH_PT_MINSZ 8

static_assert(sizeof(struct sva_vfio_bind_iommufd) == 16, "bind_iommufd");
static_assert(offsetof(struct sva_vfio_bind_iommufd, out_devid) == 12, "out_devid");
static_assert(sizeof(struct sva_vfio_attach_pt) == 16, "attach_pt");
static_assert(offsetof(struct sva_vfio_attach_pt, pasid) == SVA_VFIO_ATTACH_PT_MINSZ,
	      "attach pasid");
static_assert(sizeof(struct sva_vfio_detach_pt) == 12, "detach_pt");

/* ------------------------------------------- the seeds' VFIO SVA ioctls */
/*
 * The seeds are three series that never reached mainline and number their
 * container ioctls differently. We follow 004 (VFIO_IOMMU_BIND_PROCESS) for
 * BIND/UNBIND at VFIO_BASE + 22/23 and 000 for CACHE_INVALIDATE at + 24
 * (000 also puts PASID_REQUEST at + 22, which collides with 004's BIND:
 * with BIND_PROCESS the kernel allocates the PASID, so we define the
 * request's layout but never issue it). The DMA fault region is 003's.
 */
#define SVA_SEEDS_IOMMU_BIND             _IO(SVA_VFIO_TYPE, SVA_VFIO_BASE + 22)
#define SVA_SEEDS_IOMMU_UNBIND           _IO(SVA_VFIO_TYPE, SVA_VFIO_BASE + 23)
#define SVA_SEEDS_IOMMU_CACHE_INVALIDATE _IO(SVA_VFIO_TYPE, SVA_VFIO_BASE + 24)

#define SVA_SEEDS_BIND_PROCESS (1u << 0)   /* vfio_iommu_type1_bind::flags */
#define SVA_SEEDS_BIND_PID     (1u << 0)   /* ..._bind_process::flags */
struct sva_seeds_bind {
	uint32_t argsz;
	uint32_t flags;
	/* followed by the mode's data */
};
struct sva_seeds_bind_process {
	uint32_t flags;
	uint32_t pasid;
	int32_t pid;
};
struct sva_seeds_bind_req {       /* bind header + BIND_PROCESS data */
	struct sva_seeds_bind hdr;
	struct sva_seeds_bind_process proc;
};

#define SVA_SEEDS_PASID_ALLOC (1u << 0)
#define SVA_SEEDS_PASID_FREE  (1u << 1)
struct sva_seeds_pasid_request {
	uint32_t argsz;
	uint32_t flags;
	union {
		struct {
			uint32_t min;
			uint32_t max;
			uint32_t result;
		} alloc_pasid;
		uint32_t free_pasid;
	};
};

/* iommu_cache_invalidate_info (version 1) */
#define SVA_SEEDS_INV_VERSION_1  1
#define SVA_SEEDS_INV_IOTLB      (1u << 0)
#define SVA_SEEDS_INV_DEV_IOTLB  (1u << 1)
#define SVA_SEEDS_INV_PASID      (1u << 2)
#define SVA_SEEDS_INV_GRANU_DOMAIN 0
#define SVA_SEEDS_INV_GRANU_PASID  1
#define SVA_SEEDS_INV_GRANU_ADDR   2
#define SVA_SEEDS_INV_ADDR_F_PASID (1u << 0)
#define SVA_SEEDS_INV_ADDR_F_LEAF  (1u << 2)
#define SVA_SEEDS_INV_PASID_F_PASID (1u << 0)
struct sva_seeds_inv_pasid_info {
	uint32_t flags;
	uint32_t archid;
	uint64_t pasid;
};
struct sva_seeds_inv_addr_info {
	uint32_t flags;
	uint32_t archid;
	uint64_t pasid;
	uint64_t addr;
	uint64_t granule_size;
	uint64_t nb_granules;
};
struct sva_seeds_cache_inv_info {
	uint32_t version;
	uint8_t cache;
	uint8_t granularity;
	uint8_t padding[2];
	union {
		struct sva_seeds_inv_pasid_info pasid_info;
		struct sva_seeds_inv_addr_info addr_info;
	};
};
struct sva_seeds_cache_invalidate {
	uint32_t argsz;
	uint32_t flags;
	struct sva_seeds_cache_inv_info info;
};

/* struct iommu_fault: 64-byte records of the DMA fault region ring */
#define SVA_SEEDS_FAULT_DMA_UNRECOV 1
#define SVA_SEEDS_FAULT_PAGE_REQ    2
#define SVA_SEEDS_PRQ_F_PASID_VALID (1u << 0)
#define SVA_SEEDS_PRQ_F_LAST_PAGE   (1u << 1)
#define SVA_SEEDS_PRQ_F_PRIV_DATA   (1u << 2)
#define SVA_SEEDS_UNRECOV_F_PASID_VALID      (1u << 0)
#define SVA_SEEDS_UNRECOV_F_ADDR_VALID       (1u << 1)
#define SVA_SEEDS_UNRECOV_F_FETCH_ADDR_VALID (1u << 2)
struct sva_seeds_fault_unrecov {
	uint32_t reason;
	uint32_t flags;
	uint32_t pasid;
	uint32_t perm;
	uint64_t addr;
	uint64_t fetch_addr;
};
struct sva_seeds_fault_prq {
	uint32_t flags;
	uint32_t pasid;
	uint32_t grpid;
	uint32_t perm;
	uint64_t addr;
	uint64_t private_data[2];
};
struct sva_seeds_fault {
	uint32_t type;
	uint32_t padding;
	union {
		struct sva_seeds_fault_unrecov event;
		struct sva_seeds_fault_prq prm;
		uint8_t padding2[56];
	};
};

/* struct iommu_page_response (version 1) */
#define SVA_SEEDS_RESP_VERSION_1   1
#define SVA_SEEDS_RESP_PASID_VALID (1u << 0)
struct sva_seeds_page_response {
	uint32_t version;
	uint32_t flags;
	uint32_t pasid;
	uint32_t grpid;
	uint32_t code;
};

/* DMA fault region header (vfio_region_dma_fault): the kernel produces at
 * head, we consume at tail; records at offset, nb_entries of entry_size.
 * The response region (later revision of 003) has the same header with the
 * roles swapped: we produce at head, the kernel consumes at tail. */
#define SVA_SEEDS_REGION_TYPE_NESTED            2
#define SVA_SEEDS_REGION_SUBTYPE_DMA_FAULT      1
#define SVA_SEEDS_REGION_SUBTYPE_DMA_FAULT_RESP 2
#define SVA_SEEDS_IRQ_TYPE_NESTED               1
#define SVA_SEEDS_IRQ_SUBTYPE_DMA_FAULT         1
struct sva_seeds_fault_region {
	uint32_t tail;        /* written by the consumer */
	uint32_t entry_size;  /* read-only */
	uint32_t nb_entries;  /* read-only */
	uint32_t offset;      /* read-only: ring offset in the region */
	uint32_t head;        /* written by the producer */
};

static_assert(sizeof(struct sva_seeds_bind) == 8, "seeds bind");
static_assert(sizeof(struct sva_seeds_bind_process) == 12, "seeds bind_process");
static_assert(sizeof(struct sva_seeds_bind_req) == 20, "seeds bind req");
static_assert(sizeof(struct sva_seeds_pasid_request) == 20, "seeds pasid req");
static_assert(sizeof(struct sva_seeds_inv_pasid_info) == 16, "inv pasid");
static_assert(sizeof(struct sva_seeds_inv_addr_info) == 40, "inv addr");
static_assert(sizeof(struct sva_seeds_cache_inv_info) == 48, "cache inv info");
static_assert(offsetof(struct sva_seeds_cache_inv_info, pasid_info) == 8, "inv union");
static_assert(sizeof(struct sva_seeds_cache_invalidate) == 56, "cache invalidate");
static_assert(sizeof(struct sva_seeds_fault_unrecov) == 32, "unrecov");
static_assert(sizeof(struct sva_seeds_fault_prq) == 40, "prq");
static_assert(sizeof(struct sva_seeds_fault) == 64, "iommu_fault");
static_assert(offsetof(struct sva_seeds_fault, prm) == 8, "iommu_fault union");
static_assert(sizeof(struct sva_seeds_page_response) == 20, "page_response v1");
static_assert(sizeof(struct sva_seeds_fault_region) == 20, "fault region");
static_assert(offsetof(struct sva_seeds_fault_region, head) == 16, "region head");

#endif /* SVA_KABI_H */
