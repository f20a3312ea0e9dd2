/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lab_edu.h"

uint64_t
lab_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
nap_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int
read_file(const char *path, char *buf, size_t sz)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sz - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = 0;
	return 0;
}

static int
write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int
link_base(const char *path, char *out, size_t sz)
{
	char buf[512];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	const char *b;

	if (n < 0)
		return -1;
	buf[n] = 0;
	b = strrchr(buf, '/');
	b = b ? b + 1 : buf;
	if (strlen(b) >= sz)
		return -1;
	memcpy(out, b, strlen(b) + 1);
	return 0;
}

/* The vfioN name under the device's vfio-dev directory, if any. */
static int
vfio_dev_name(const char *bdf, char *out, size_t sz)
{
	char path[512];
	struct dirent *de;
	DIR *d;
	int rc = -1;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vfio-dev", bdf);
	d = opendir(path);
	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "vfio", 4) == 0) {
			snprintf(out, sz, "%.31s", de->d_name);
			rc = 0;
			break;
		}
	}
	closedir(d);
	return rc;
}

void
lab_edu_find_and_bind(struct lab_edu *e)
{
	char path[512], buf[64], drv[64] = "";
	struct dirent *de;
	DIR *d;
	uint64_t t0;

	memset(e, 0, sizeof(*e));
	e->devfd = e->iommufd = -1;
	d = opendir("/sys/bus/pci/devices");
	LAB_CHECK(d != NULL, "no /sys/bus/pci/devices");
	while ((de = readdir(d)) != NULL) {
		unsigned long v = 0, dv = 0;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", de->d_name);
		if (read_file(path, buf, sizeof(buf)) == 0)
			v = strtoul(buf, NULL, 0);
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", de->d_name);
		if (read_file(path, buf, sizeof(buf)) == 0)
			dv = strtoul(buf, NULL, 0);
		if (v == EDU_VENDOR && dv == EDU_DEVICE) {
			snprintf(e->bdf, sizeof(e->bdf), "%.31s", de->d_name);
			break;
		}
	}
	closedir(d);
	if (e->bdf[0] == 0) {
		fprintf(stderr, "SKIP %s: no QEMU edu device (1234:11e8): this case runs "
			"in the kernel lab guest: bash lab/lab.sh run -- <this program>\n",
			lab_case);
		exit(LAB_SKIP);
	}

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", e->bdf);
	link_base(path, drv, sizeof(drv));
	if (strcmp(drv, "vfio-pci") != 0) {
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override", e->bdf);
		LAB_CHECK(write_file(path, "vfio-pci") == 0, "write %s: %s", path, strerror(errno));
		if (drv[0]) {
			snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind", e->bdf);
			LAB_CHECK(write_file(path, e->bdf) == 0, "unbind %s from %s: %s",
				  e->bdf, drv, strerror(errno));
		}
		LAB_CHECK(write_file("/sys/bus/pci/drivers_probe", e->bdf) == 0,
			  "drivers_probe %s: %s", e->bdf, strerror(errno));
	}
	/* The vfio-dev entry and its devtmpfs node appear asynchronously. */
	t0 = lab_now_ms();
	for (;;) {
		struct stat st;
		char name[32];

		if (vfio_dev_name(e->bdf, name, sizeof(name)) == 0) {
			snprintf(e->cdev, sizeof(e->cdev), "/dev/vfio/devices/%.31s", name);
			if (stat(e->cdev, &st) == 0 && S_ISCHR(st.st_mode))
				break;
		}
		LAB_CHECK(lab_now_ms() - t0 < 5000,
			  "%s bound to vfio-pci but no vfio-dev cdev within 5 s", e->bdf);
		nap_ms(10);
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", e->bdf);
	drv[0] = 0;
	link_base(path, drv, sizeof(drv));
	LAB_CHECK(strcmp(drv, "vfio-pci") == 0, "%s driver is '%s', not vfio-pci", e->bdf, drv);
}

void
lab_edu_open_bound(struct lab_edu *e)
{
	struct sva_vfio_bind_iommufd bind = { .argsz = sizeof(bind) };

	lab_edu_find_and_bind(e);
	e->devfd = open(e->cdev, O_RDWR | O_CLOEXEC);
	LAB_CHECK(e->devfd >= 0, "open %s: %s", e->cdev, strerror(errno));
	e->iommufd = open("/dev/iommu", O_RDWR | O_CLOEXEC);
	LAB_CHECK(e->iommufd >= 0, "open /dev/iommu: %s", strerror(errno));
	bind.iommufd = e->iommufd;
	LAB_OK(ioctl(e->devfd, SVA_VFIO_DEVICE_BIND_IOMMUFD, &bind));
	e->devid = bind.out_devid;
}

int
lab_attach(int devfd, uint32_t *pt_id)
{
	struct sva_vfio_attach_pt at = { .argsz = SVA_VFIO_ATTACH_PT_MINSZ, .pt_id = *pt_id };
	int rc = ioctl(devfd, SVA_VFIO_DEVICE_ATTACH_PT, &at);

	if (rc == 0)
		*pt_id = at.pt_id;
	return rc;
}

int
lab_detach(int devfd)
{
	struct sva_vfio_detach_pt dt = { .argsz = SVA_VFIO_DETACH_PT_MINSZ };

	return ioctl(devfd, SVA_VFIO_DEVICE_DETACH_PT, &dt);
}

void
lab_edu_map_bar(struct lab_edu *e)
{
	struct lab_vfio_region_info ri = { .argsz = sizeof(ri),
					   .index = LAB_VFIO_PCI_BAR0_REGION_INDEX };
	struct lab_vfio_region_info ci = { .argsz = sizeof(ci),
					   .index = LAB_VFIO_PCI_CONFIG_REGION_INDEX };
	void *p;

	LAB_OK(ioctl(e->devfd, SVA_VFIO_DEVICE_GET_REGION_INFO, &ri));
	LAB_CHECK(ri.size >= 0x100, "edu BAR0 is %llu bytes", (unsigned long long)ri.size);
	p = mmap(NULL, ri.size, PROT_READ | PROT_WRITE, MAP_SHARED, e->devfd, ri.offset);
	LAB_CHECK(p != MAP_FAILED, "mmap BAR0: %s", strerror(errno));
	e->bar = p;
	e->bar_size = ri.size;
	LAB_OK(ioctl(e->devfd, SVA_VFIO_DEVICE_GET_REGION_INFO, &ci));
	e->cfg_off = ci.offset;
}

void
lab_edu_bus_master(struct lab_edu *e)
{
	uint16_t cmd;

	LAB_CHECK(pread(e->devfd, &cmd, 2, e->cfg_off + 4) == 2, "read PCI command: %s",
		  strerror(errno));
	cmd |= 0x4; /* bus master: without it the device's DMA goes nowhere */
	LAB_CHECK(pwrite(e->devfd, &cmd, 2, e->cfg_off + 4) == 2, "write PCI command: %s",
		  strerror(errno));
}

void
lab_edu_open(struct lab_edu *e)
{
	struct sva_iommufd_ioas_alloc ia = { .size = sizeof(ia) };
	uint32_t id;

	lab_edu_open_bound(e);
	LAB_OK(ioctl(e->iommufd, SVA_IOMMU_IOAS_ALLOC, &ia));
	e->ioas = ia.out_ioas_id;
	id = e->ioas;
	LAB_OK(lab_attach(e->devfd, &id));
	e->hwpt = id;
	lab_edu_map_bar(e);
	lab_edu_bus_master(e);
	LAB_CHECK((*(volatile uint32_t *)(e->bar + EDU_REG_ID) & 0xff) == 0xed,
		  "edu id register reads %#x", *(volatile uint32_t *)(e->bar + EDU_REG_ID));
}

void
lab_edu_close(struct lab_edu *e)
{
	if (e->bar)
		munmap((void *)e->bar, e->bar_size);
	if (e->devfd >= 0)
		close(e->devfd);
	if (e->iommufd >= 0)
		close(e->iommufd);
	e->bar = NULL;
	e->devfd = e->iommufd = -1;
}

int
lab_ioas_map_va(int iommufd, uint32_t ioas, void *va, size_t len)
{
	struct sva_iommufd_ioas_map m = {
		.size = sizeof(m),
		.flags = SVA_IOAS_MAP_FIXED_IOVA | SVA_IOAS_MAP_READABLE |
			 SVA_IOAS_MAP_WRITEABLE,
		.ioas_id = ioas,
		.user_va = (uintptr_t)va,
		.length = len,
		.iova = (uintptr_t)va,
	};
	int rc = ioctl(iommufd, SVA_IOMMU_IOAS_MAP, &m);

	if (rc == 0 && m.iova != (uintptr_t)va) {
		errno = EPROTO;
		return -1;
	}
	return rc;
}

int
lab_ioas_unmap(int iommufd, uint32_t ioas, uint64_t iova, uint64_t len)
{
	struct sva_iommufd_ioas_unmap u = { .size = sizeof(u), .ioas_id = ioas,
					    .iova = iova, .length = len };

	return ioctl(iommufd, SVA_IOMMU_IOAS_UNMAP, &u);
}

static inline void
w64(struct lab_edu *e, uint32_t reg, uint64_t v)
{
	*(volatile uint64_t *)(e->bar + reg) = v;
}

static inline uint64_t
r64(struct lab_edu *e, uint32_t reg)
{
	return *(volatile uint64_t *)(e->bar + reg);
}

int
lab_edu_dma(struct lab_edu *e, uint64_t addr, uint32_t edu_off, uint32_t len, int to_ram)
{
	uint64_t t0;

	LAB_CHECK(len > 0 && edu_off + len <= EDU_BUF_USABLE,
		  "edu DMA [%u, +%u) would end at/after the end of edu's buffer (QEMU 7.2 aborts)",
		  edu_off, len);
	LAB_CHECK(!(r64(e, EDU_REG_DMA_CMD) & EDU_DMA_RUN), "edu DMA already running");
	if (to_ram) {
		w64(e, EDU_REG_DMA_SRC, EDU_BUF + edu_off);
		w64(e, EDU_REG_DMA_DST, addr);
	} else {
		w64(e, EDU_REG_DMA_SRC, addr);
		w64(e, EDU_REG_DMA_DST, EDU_BUF + edu_off);
	}
	w64(e, EDU_REG_DMA_CNT, len);
	w64(e, EDU_REG_DMA_CMD, EDU_DMA_RUN | (to_ram ? EDU_DMA_TO_RAM : 0));
	/* edu completes a DMA 100 ms (virtual) after the command. */
	t0 = lab_now_ms();
	while (r64(e, EDU_REG_DMA_CMD) & EDU_DMA_RUN) {
		if (lab_now_ms() - t0 > 10000)
			return -ETIMEDOUT;
		nap_ms(2);
	}
	return 0;
}

uint64_t
lab_kmsg_seq(void)
{
	char rec[8192];
	uint64_t next = 0;
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	ssize_t n;

	LAB_CHECK(fd >= 0, "open /dev/kmsg: %s", strerror(errno));
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			break;
		rec[n] = 0;
		next = strtoull(strchr(rec, ',') + 1, NULL, 10) + 1;
	}
	close(fd);
	return next;
}

int
lab_kmsg_wait(uint64_t seq, int timeout_ms, char *out, size_t outsz, ...)
{
	const char *want[8];
	char rec[8192];
	uint64_t t0 = lab_now_ms();
	int nw = 0, fd;
	va_list ap;

	va_start(ap, outsz);
	while (nw < 8 && (want[nw] = va_arg(ap, const char *)) != NULL)
		nw++;
	va_end(ap);
	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	LAB_CHECK(fd >= 0, "open /dev/kmsg: %s", strerror(errno));
	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);

		if (n < 0 && errno == EPIPE)
			continue;
		if (n > 0) {
			char *c = strchr(rec, ','), *msg;
			int i;

			rec[n] = 0;
			if (c == NULL || strtoull(c + 1, NULL, 10) < seq)
				continue;
			msg = strchr(rec, ';');
			msg = msg ? msg + 1 : rec;
			for (i = 0; i < nw; i++)
				if (strstr(msg, want[i]) == NULL)
					break;
			if (i == nw) {
				snprintf(out, outsz, "%s", msg);
				out[strcspn(out, "\n")] = 0;
				close(fd);
				return 0;
			}
			continue;
		}
		if (lab_now_ms() - t0 > (uint64_t)timeout_ms)
			break;
		nap_ms(10);
	}
	close(fd);
	return -1;
}

/*
 * The kernel prints DMAR faults through a ratelimit (burst 10 per 5 s,
 * two tokens a fault: the status line and the record): a fault past it is
 * cleared unprinted. Before a DMA meant to fault, wait (bounded) until
 * fewer than 3 faults were printed in the last 5 s of kernel time.
 */
void
lab_dmar_quiet(void)
{
	uint64_t t0 = lab_now_ms();
	char rec[8192];

	for (;;) {
		uint64_t ts[64], now;
		struct timespec tn;
		int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK), n = 0, i, recent = 0;

		LAB_CHECK(fd >= 0, "open /dev/kmsg: %s", strerror(errno));
		for (;;) {
			ssize_t r = read(fd, rec, sizeof(rec) - 1);
			char *c;

			if (r < 0 && errno == EPIPE)
				continue;
			if (r <= 0)
				break;
			rec[r] = 0;
			if (strstr(rec, "DRHD: handling fault status") == NULL)
				continue;
			c = strchr(rec, ',');
			c = c ? strchr(c + 1, ',') : NULL;
			if (c)
				ts[n++ % 64] = strtoull(c + 1, NULL, 10);
		}
		close(fd);
		clock_gettime(CLOCK_MONOTONIC, &tn);
		now = (uint64_t)tn.tv_sec * 1000000 + tn.tv_nsec / 1000;
		for (i = 0; i < n && i < 64; i++)
			recent += ts[i] + 5200000 > now;
		if (recent < 3)
			return;
		LAB_CHECK(lab_now_ms() - t0 < 7000, "DMAR fault ratelimit window never passed");
		nap_ms(50);
	}
}

void *
lab_page_alloc(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	LAB_CHECK(p != MAP_FAILED, "mmap %zu: %s", len, strerror(errno));
	return p;
}

void
lab_fill(void *p, size_t len, uint32_t seed)
{
	uint8_t *b = p;
	uint32_t x = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < len; i++) {
		x ^= x << 13; x ^= x >> 17; x ^= x << 5;
		b[i] = (uint8_t)x;
	}
}

int
lab_case_main(int argc, char **argv, const char *prefix,
	      const struct lab_case_def *cases, unsigned int n)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		for (unsigned int i = 0; i < n; i++)
			printf("%-12s %s\n", cases[i].name, cases[i].what);
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: %s CASE | --list\n", argv[0]);
		return 2;
	}
	for (unsigned int i = 0; i < n; i++) {
		if (strcmp(argv[1], cases[i].name) == 0) {
			static char name[64];

			snprintf(name, sizeof(name), "%s_%s", prefix, cases[i].name);
			lab_case = name;
			printf("%s: %s\n", name, cases[i].what);
			cases[i].fn();
			printf("PASS %s\n", name);
			return 0;
		}
	}
	fprintf(stderr, "unknown case %s (--list)\n", argv[1]);
	return 2;
}
