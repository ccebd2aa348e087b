/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * nsctl: container objects for Linux namespaces.
 *
 * This header is the whole contract between the nsctl kernel module and
 * userspace.  Everything a program may rely on is described here.
 *
 * The filesystem
 * ==============
 *
 * The module registers a filesystem type named "nsctl" and creates the
 * empty directory /sys/fs/nsctl as its mount point:
 *
 *	mount -t nsctl none /sys/fs/nsctl
 *
 * Every mount of the type shows the same tree: there is one superblock
 * per running kernel, whatever the mounting process's namespaces.  The
 * filesystem takes no mount options; any option is refused with EINVAL.
 * Mounting needs CAP_SYS_ADMIN in the initial user namespace.
 *
 * statfs(2) reports NSCTL_SUPER_MAGIC as f_type.
 *
 * While the filesystem is mounted somewhere, or any container exists, the
 * module cannot be unloaded (delete_module(2) fails with EWOULDBLOCK).
 *
 * Containers
 * ==========
 *
 * A container is a directory at the top of the filesystem.  It has
 *
 *  - a name: 1 to NSCTL_NAME_MAX (255) characters, the first a letter or
 *    a digit, the others letters, digits and "_.-:@+" (ASCII only),
 *    unique.  That takes OCI container ids (64 hex digits), Kubernetes
 *    pod and container names and systemd unit names;
 *  - labels: key=value pairs, metadata for who made the container and
 *    why (see "Labels" below); none at creation by mkdir;
 *  - an id: a 64-bit number, never reused while the module is loaded;
 *  - a UUID: random, or set right after creation (NSCTL_IOC_SET_UUID) to
 *    recreate a container under a known identity; unique among live
 *    containers;
 *  - a generation: starts at 1 and grows by one with every change to what
 *    the container aggregates (one step per NSCTL_IOC_SET_NS or
 *    NSCTL_IOC_SET_CGROUP call, however many slots it changes);
 *  - one slot per namespace type (enum nsctl_ns_type), empty or holding a
 *    reference that keeps the namespace alive with no process in it.  An
 *    empty slot means "whatever the caller already has".  The pid slot is
 *    the PID namespace the container's processes are born into;
 *  - optionally a cgroup v2 directory, held by reference;
 *  - its creation time and counters.
 *
 * A task is inside a container when the container has at least one
 * non-empty slot and, for every non-empty slot, the task's namespace of
 * that type is the slot's (for pid: the task's active PID namespace is the
 * slot's or a descendant of it).
 *
 * mkdir(2) creates an empty container; rmdir(2) deletes it and drops every
 * reference it held.  Both need CAP_SYS_ADMIN in the initial user
 * namespace.  Errors:
 *
 *	EINVAL		the name has a character outside the allowed set,
 *			or does not start with a letter or a digit
 *	ENAMETOOLONG	the name is longer than NSCTL_NAME_MAX
 *	EEXIST		a container of that name exists
 *	EBUSY		(rmdir) processes are inside the container
 *	EPERM		the caller lacks CAP_SYS_ADMIN
 *
 * Who sees a container: a caller with the full view (CAP_SYS_ADMIN in the
 * initial user namespace, from the initial PID namespace) sees every one;
 * anyone else sees the containers it is in: those that hold at least one
 * namespace, every one of which the caller may see by the namespace rule
 * below ("Visibility").  The rule is the same in every view.  The root
 * directory lists only the containers its opener sees; a container's
 * name is not found (ENOENT) by a caller that does not see it, and its
 * directory refuses such a caller lookups and opens (EACCES) however it
 * is reached, so its files are opened by those who see it, and a
 * descriptor they pass on keeps working.  Left visible to all: the root
 * directory's link count (one per container) and inotify events on it.
 * mkdir needs CAP_SYS_ADMIN in the initial user namespace; rmdir and
 * NSCTL_CMD_DEL_CONTAINER also need the caller to see the container.
 *
 * Files in a container's directory (each reads as text ending in a
 * newline; those of mode 0444 are read-only):
 *
 *	id		the container's id, decimal
 *	uuid		its UUID, 36 characters, lower case
 *	generation	its generation, decimal
 *	namespaces	a line per type in enum order, "<type> <inode> <uuid>"
 *			for a held namespace (inode as in /proc/PID/ns/<type>,
 *			uuid as below), "<type> ?" for one the opener of the
 *			file may not see (the rule below), or "<type> -" for
 *			an empty slot
 *	cgroup		the held cgroup's path as the opener's cgroup
 *			namespace sees it, or "-"
 *	procs		the PIDs of the processes inside, one per line, as the
 *			opener's PID namespace numbers them; processes the
 *			opener cannot see are left out
 *	stat		"key value" lines:
 *			  tasks N      processes inside
 *			  enters N     successful enters so far
 *			  created S    creation time, seconds since the epoch
 *			  pid_init X   the held PID namespace's init:
 *			               none (no process forked into it yet),
 *			               running, dead (no process can join it
 *			               any more), or - when the pid slot is
 *			               empty
 *
 * Policies and the external view (mode 0644, owned by root: readable by
 * anyone who sees the container; opening for writing is refused by the file mode (EACCES), and a
 * write(2) through a descriptor whose opener lacked CAP_SYS_ADMIN in the
 * initial user namespace with EPERM: the opener's credentials decide, so a
 * descriptor passed on or inherited keeps what its opener could do.  Each
 * write(2) is one whole value, wherever a read left the file position; a
 * write that is not one of the values shown below fails with EINVAL and
 * changes nothing, as does any write to a file of mode 0444; a trailing
 * newline is allowed):
 *
 *	on_empty	what happens when the container becomes empty (see
 *			"Empty containers" below): "ignore" (the default:
 *			nothing), "notify" (a NSCTL_CMD_CONTAINER_EMPTIED
 *			event), "delete" (the event, then the container
 *			deletes itself, announced by
 *			NSCTL_CMD_CONTAINER_DELETED).  Takes effect for the
 *			next time the container becomes empty.
 *	enter		"allow" (the default) or "deny": a sealed container
 *			refuses NSCTL_IOC_ENTER that would switch anything
 *			or hand out its cgroup, and every NSCTL_IOC_GET_NS,
 *			with EPERM (so nsctl set cannot set its host name
 *			until it is unsealed).  The seal covers these two
 *			ways in, which go by the container: setns(2) with
 *			an fd got elsewhere (/proc/PID/ns of a process
 *			inside, a bind mount, NSCTL_IOC_NS_OPEN by a
 *			namespace's UUID, which goes by the namespace) is
 *			not refused.
 *	hostname	the held UTS namespace's host name and NIS domain
 *	domainname	name, as uname(2) inside shows them (ENOENT without
 *			a uts slot).  Read-only in the filesystem: see
 *			"Setting a host name from outside" below.
 *	ipc		the held IPC namespace's System V IPC limits (ENOENT
 *			without an ipc slot), a "key value" line each, named
 *			as /proc/sys/kernel names them: shmmax, shmall,
 *			shmmni, msgmax, msgmnb, msgmni, and sem (four
 *			values: semmsl semmns semopm semmni).  A write is
 *			one or more such lines; all are checked before any
 *			is applied.  Bounds, those of the kernel's own
 *			sysctl handlers: shmmax and shmall 0 to 2^64 - 1,
 *			shmmni and msgmni 0 to the kernel's IPCMNI (32768,
 *			or 2^24 when booted with ipcmni_extend), msgmax and
 *			msgmnb 0 to 2^31 - 1, the sem values 0 to 2^31 - 1
 *			with semmni at most that IPCMNI.  The kernel writes these
 *			limits with plain stores and reads them without a
 *			lock, and so does nsctl.  Left out: shm_rmid_forced
 *			(setting it must also destroy orphaned segments,
 *			which the kernel does in a function it does not
 *			export) and the POSIX message queue limits (they
 *			live in the mqueue filesystem's sysctls).
 *
 *	labels		the container's labels (below), one "key=value"
 *			line each, in key order; empty when it has none
 *
 * Labels
 * ------
 *
 * A label is a key and a value.  Keys are 1 to NSCTL_LABEL_KEY_MAX
 * characters, the first a letter or a digit, the others letters, digits
 * and "._/-"; values are 0 to NSCTL_LABEL_VALUE_MAX bytes, none of them a
 * control character (below 0x20, or 0x7f), so UTF-8 passes.  A container
 * has at most NSCTL_LABELS_MAX labels, and at most NSCTL_LABELS_SIZE bytes
 * of "key=value\n" lines.  A write(2) to "labels" (the rules of the policy
 * files below) is a list of edits, one per line, applied together or not
 * at all: "key=value" sets a label, "-key" removes one (nothing when it is
 * absent).  A malformed line fails the write with EINVAL, going over
 * the limits with E2BIG.  NSCTL_CMD_NEW_CONTAINER takes the first labels
 * (NSCTL_A_CT_LABELS), and a dump can select by label.
 *
 * Policy changes (on_empty, enter) are announced as
 * NSCTL_CMD_CONTAINER_CHANGED with NSCTL_CHANGED_POLICY, label changes
 * with NSCTL_CHANGED_LABELS; neither changes the generation, which counts
 * changes to what the container holds.
 * Settings of the namespaces themselves (ipc, host names) are not events
 * of the container: they change the namespace, whoever holds it.
 *
 * Setting a host name from outside: the kernel serialises host name
 * changes with uts_sem, which it does not export to modules, and offers
 * no exported way for a module to switch a task's UTS namespace, which
 * sethostname(2) and the /proc/sys/kernel/hostname handler act on.  A
 * module that wrote the name itself could let uname(2) copy a half-written
 * name.  So the host name and domain name are set by the calling thread:
 * it joins the container's UTS namespace (an fd from NSCTL_IOC_GET_NS;
 * setns(2) of a UTS namespace is allowed in a multithreaded process),
 * calls sethostname(2) or setdomainname(2), which take uts_sem, and
 * returns to its own UTS namespace.  No process is forked and nothing in
 * the container runs.  `nsctl set NAME hostname=...` does this.  Reading
 * the files copies the name until two copies agree, so that a change made
 * inside at that moment is not seen half-way; a name rewritten faster
 * than that, sixteen times over, is not guessed at: the read fails with
 * EAGAIN.  Without uts_sem (not exported), one case stays open: a writer
 * preempted in the middle of its own copy of the name (at most 65 bytes)
 * is read as it stands.
 *
 * A file of a deleted container, still open, reads ENODEV.
 *
 * Namespace identity
 * ==================
 *
 * Every namespace nsctl tracks has a UUID (RFC 9562, version 7) that no
 * other namespace ever gets: not after this one dies, not after the module
 * is reloaded, not on another boot or machine.  Version 7 because its
 * leading 48 bits are the time nsctl first saw the namespace, so UUIDs sort
 * by age, and its remaining bits leave room for what nsctl needs: 12 random
 * bits, then a random tag drawn at each module load and a counter, which
 * make UUIDs unique within a load by construction and let nsctl tell a
 * UUID it issued for a namespace that is gone (ESTALE) from one it never
 * issued (ENOENT).
 *
 * Network namespaces are all tracked, from their creation (once set up)
 * to the kernel's teardown of them, whether a container holds them or not.
 * A namespace of another type is tracked from the first time nsctl sees it
 * (attached to a container, or looked up with NSCTL_IOC_NS_INFO) for as
 * long as it lives: nsctl holds a reference on it meanwhile, and drops it
 * once nothing else uses the namespace: within a quarter of a second when
 * a container was its last user, within a second otherwise.  The
 * same namespace reached through /proc/PID/ns, a bind mount, another
 * process's fd or a container has the same UUID.  What the UUIDs do not
 * promise: the same UUID for a namespace after nsctl lost track of it
 * (module reload), or anything for a namespace nsctl never saw.
 *
 * Visibility follows the rule upstream Linux applies to namespace
 * listing: a caller with CAP_SYS_ADMIN in the initial user namespace that
 * is in the initial PID namespace sees every tracked namespace; anyone else
 * sees the namespaces it is in (for pid: its own and those above it).  The
 * rule is decided for whoever opened the file or sent the netlink request,
 * as they were at that moment (their credentials and namespaces then), not
 * for whoever reads later: a descriptor passed on, inherited across a
 * privilege drop, or a dump whose later parts another process receives,
 * shows what it showed its opener.
 *
 * The top-level file "namespaces" lists the tracked namespaces the opener
 * may see, a line each, with the containers holding each that the opener
 * sees:
 *
 *	<uuid> <type> <inode> <owner-uuid> <parent-uuid> <container-ids>
 *
 * with "-" for no parent (types other than pid and user, or the initial
 * namespace) and for no container; container ids are comma-separated.
 * Each container's "namespaces" file shows the UUID after the inode.
 *
 * Ioctls on the filesystem's root directory: NSCTL_IOC_NS_INFO and
 * NSCTL_IOC_NS_OPEN, below; what they show is decided for the opener of
 * the root directory, as its listing is.
 *
 * Ioctls
 * ======
 *
 * Issued on a container's directory, opened with open(2) (O_RDONLY |
 * O_DIRECTORY is enough).  Argument structs are versioned by size, like
 * clone_args: the size is the one encoded in the ioctl number, the kernel
 * accepts any size from the first version's up to a page, zero-fills what
 * an older caller did not pass, and refuses with E2BIG a newer caller's
 * trailing fields that are not zero.  Unknown flag bits are refused with
 * EOPNOTSUPP, and reserved fields that are not zero with EINVAL.  On a
 * deleted container every ioctl fails with ESTALE; an unknown ioctl with
 * ENOTTY.  The ioctls that change a container (NSCTL_IOC_SET_NS,
 * NSCTL_IOC_SET_CGROUP, NSCTL_IOC_SET_UUID) need CAP_SYS_ADMIN in the
 * initial user namespace both in the opener of the directory and in the
 * caller: what a container holds is where the next enter runs, so a
 * descriptor handed on lends no such right, and one opened without it
 * never gains it.  The ioctls that hand out
 * namespaces decide what setns(2) would accept for the caller itself.
 *
 * Generic netlink
 * ===============
 *
 * The module registers the generic netlink family NSCTL_GENL_NAME
 * ("nsctl"), version NSCTL_GENL_VERSION, for programs that drive nsctl
 * without the filesystem, list in bulk, or follow events.  Requests work
 * from any network namespace; every command has a strict attribute policy
 * of its own, enforced by the netlink core with an extended-ack message
 * naming the attribute: an attribute the command does not take, or of the
 * wrong type, is refused with EINVAL, a length or value out of range with
 * ERANGE.
 *
 * Commands (enum nsctl_cmd), attributes (enum nsctl_attr):
 *
 *  NSCTL_CMD_GET_CONTAINER
 *	do:   one of NSCTL_A_CT_NAME, NSCTL_A_CT_ID, NSCTL_A_CT_UUID (exactly
 *	      one, else EINVAL); replies with a container message; ENOENT
 *	      when there is no such container or the sender does not see
 *	      it.
 *	dump: every container the sender sees (as it was when it sent the
 *	      request) and, when the request has NSCTL_A_CT_LABELS, whose
 *	      labels match every NSCTL_A_LABEL in it ("key=value": that
 *	      label with that value; "key": that label with any value), a
 *	      message each, in id order: the state at
 *	      the dump's last part.  When a container an earlier part sent
 *	      was changed or deleted before that, the message after the
 *	      change carries NLM_F_DUMP_INTR: start again for a consistent
 *	      answer.  Containers made meanwhile (ids beyond those sent)
 *	      interrupt nothing.
 *  NSCTL_CMD_NEW_CONTAINER (CAP_SYS_ADMIN in the initial user namespace,
 *	both in the sender and in the opener of the socket)
 *	NSCTL_A_CT_NAME (required), optional NSCTL_A_CT_UUID, NSCTL_A_CT_NS
 *	nests (a namespace to attach each, see below), NSCTL_A_CGROUP_FD and
 *	NSCTL_A_CT_LABELS (NSCTL_A_LABEL "key=value" attributes, each a
 *	label to set).
 *	The container is built completely (the same checks and errors as
 *	mkdir, NSCTL_IOC_SET_UUID, NSCTL_IOC_SET_NS and NSCTL_IOC_SET_CGROUP)
 *	before it appears anywhere: it is in the filesystem, in dumps and
 *	announced by one NSCTL_CMD_CONTAINER_CREATED event only once
 *	everything asked for is attached, or not at all.  Replies with the
 *	container message.
 *  NSCTL_CMD_DEL_CONTAINER (CAP_SYS_ADMIN in the initial user namespace,
 *	both in the sender and in the opener of the socket)
 *	one of NSCTL_A_CT_NAME, NSCTL_A_CT_ID, NSCTL_A_CT_UUID, and
 *	optionally NSCTL_A_CT_GENERATION: delete only if the container is
 *	still at that generation (else ESTALE).  As rmdir: EBUSY while
 *	processes are inside, ENOENT for a container the sender does not
 *	see.
 *  NSCTL_CMD_GET_NS
 *	do:   NSCTL_A_NS_UUID; replies with a namespace message; ENOENT,
 *	      ESTALE as NSCTL_IOC_NS_OPEN.
 *	dump: every tracked namespace the requester may see (the rule of the
 *	      "namespaces" file, applied to the process that sent the
 *	      request, as it was then), a message each; a network namespace
 *	      only once its creation has completed.  A namespace message
 *	      names only the holding containers the requester sees.
 *
 * Pools (see "Pools" below):
 *
 *  NSCTL_CMD_GET_POOL
 *	do:   NSCTL_A_POOL_NAME; replies with a pool message that also
 *	      lists the cgroup of each ready member (NSCTL_A_POOL_MEMBER_CGROUP).
 *	      ENOENT when there is no such pool or the sender has not the
 *	      full view.
 *	dump: every pool, a pool message each, for a sender with the full
 *	      view; nothing for anyone else.
 *  NSCTL_CMD_NEW_POOL (CAP_SYS_ADMIN in the initial user namespace,
 *	both in the sender and in the opener of the socket)
 *	NSCTL_A_POOL_NAME and NSCTL_A_POOL_TYPES (required; at least one
 *	type), NSCTL_A_POOL_SIZE (required, at most NSCTL_POOL_SIZE_MAX),
 *	optional NSCTL_A_POOL_LOW (at most the size; default half the size,
 *	rounded up), NSCTL_A_POOL_MAX_AGE (seconds, 0: members never
 *	expire), NSCTL_A_POOL_FLAGS, the template's NSCTL_A_CT_ON_EMPTY,
 *	NSCTL_A_CT_ENTER_POLICY and NSCTL_A_CT_LABELS (given to each
 *	member when it is claimed), and NSCTL_A_POOL_MEMORY_MAX,
 *	NSCTL_A_POOL_PIDS_MAX, NSCTL_A_POOL_CPU_MAX (strings the filler
 *	writes to each member's cgroup; the module keeps them only; EINVAL
 *	with NSCTL_POOL_NO_CGROUP).
 *	EEXIST for a taken name, ENOSPC beyond NSCTL_POOLS_MAX pools.
 *	Replies with the pool message; announced by NSCTL_CMD_POOL_CREATED.
 *  NSCTL_CMD_SET_POOL (as NEW_POOL)
 *	NSCTL_A_POOL_NAME and any of NSCTL_A_POOL_SIZE, NSCTL_A_POOL_LOW,
 *	NSCTL_A_POOL_MAX_AGE.  A smaller size releases the newest ready
 *	members beyond it; a shorter age expires members at once.  Replies
 *	with the pool message.
 *  NSCTL_CMD_DEL_POOL (as NEW_POOL)
 *	NSCTL_A_POOL_NAME.  Releases every ready member (claimed ones are
 *	ordinary containers and stay); announced by NSCTL_CMD_POOL_DELETED.
 *  NSCTL_CMD_ADD_MEMBER (as NEW_POOL): for a filler
 *	NSCTL_A_POOL_NAME, the NSCTL_A_CT_NS nests and NSCTL_A_CGROUP_FD of
 *	NSCTL_CMD_NEW_CONTAINER.  The namespaces must be exactly the pool's
 *	types (EINVAL otherwise) and there must be a cgroup unless the pool
 *	has NSCTL_POOL_NO_CGROUP (and none if it has).  ENOSPC when the
 *	pool is full, ENOENT when it is gone.  The member is an unpublished
 *	container: in no lookup, dump, listing or event, its namespaces
 *	naming no holder.  Replies with the pool message.
 *  NSCTL_CMD_CLAIM (as NEW_POOL)
 *	NSCTL_A_POOL_NAME, NSCTL_A_CT_NAME, optional NSCTL_A_CT_UUID and
 *	NSCTL_A_CT_LABELS.  Hands out the pool's oldest ready member as an
 *	ordinary container of that name (and UUID), with the template's
 *	policies and labels and then the request's labels: published,
 *	announced by NSCTL_CMD_CONTAINER_CREATED, enterable at once.  Each
 *	member is handed out once.  EAGAIN when the pool has no ready
 *	member, EEXIST when the name or the UUID is taken or the name is
 *	one of the root's files ("namespaces", "pools") (the member stays
 *	in the pool), ENOENT for no such pool.  Replies with the container
 *	message.
 *
 * A container message (replies, dumps, container events):
 *
 *	NSCTL_A_CT_ID		u64
 *	NSCTL_A_CT_NAME		string
 *	NSCTL_A_CT_UUID		binary, 16 bytes
 *	NSCTL_A_CT_GENERATION	u64
 *	NSCTL_A_CT_CREATED	s64, seconds since the epoch
 *	NSCTL_A_CT_ENTERS	u64
 *	NSCTL_A_CT_PID_INIT	u32, enum nsctl_pid_init (only with a pid slot)
 *	NSCTL_A_CT_CGROUP_ID	u64, the cgroup's id (its inode number in
 *				cgroup2, for open_by_handle_at) (only with a
 *				cgroup)
 *	NSCTL_A_CT_CGROUP_PATH	string, the cgroup's path as the requester's
 *				cgroup namespace sees it; in events, as the
 *				initial cgroup namespace sees it
 *	NSCTL_A_CT_ON_EMPTY	u32, enum nsctl_on_empty
 *	NSCTL_A_CT_ENTER_POLICY	u32, enum nsctl_enter_policy
 *	NSCTL_A_CT_LABELS	nest (only when it has labels): an
 *				NSCTL_A_LABEL string "key=value" per label,
 *				in key order
 *	NSCTL_A_CT_NS		nest, once per held namespace the
 *				requester may see (the rule of the
 *				"namespaces" file; events carry all):
 *	  NSCTL_A_NS_TYPE	  u32, enum nsctl_ns_type
 *	  NSCTL_A_NS_INUM	  u32, as /proc/PID/ns/X shows it
 *	  NSCTL_A_NS_UUID	  binary, 16 bytes
 *	  NSCTL_A_NS_NET_COOKIE	  u64, network namespaces only: the
 *				  kernel's cookie (below)
 *
 * A namespace message (GET_NS, network namespace events):
 *
 *	NSCTL_A_NS_UUID		binary, 16 bytes
 *	NSCTL_A_NS_TYPE		u32
 *	NSCTL_A_NS_INUM		u32
 *	NSCTL_A_NS_OWNER_UUID	binary, 16 bytes (absent: the initial user
 *				namespace, or none)
 *	NSCTL_A_NS_PARENT_UUID	binary, 16 bytes (pid and user only; absent
 *				for the initial namespace)
 *	NSCTL_A_NS_CONTAINER	u64, once per container holding it
 *	NSCTL_A_NS_NET_COOKIE	u64, network namespaces only
 *
 * The kernel's own ids.  A network namespace has a cookie: 64 bits, never
 * reused while the kernel runs, what SO_NETNS_COOKIE (getsockopt(2) on a
 * socket in it) and BPF's bpf_get_netns_cookie() answer; messages carry it
 * as NSCTL_A_NS_NET_COOKIE.  From 6.9 on, a mount namespace also has a
 * 64-bit id (ioctl NS_GET_MNTNS_ID on its nsfs file, statmount(2),
 * listmount(2)); the kernel keeps it where a module cannot read it, so
 * nsctl(8) asks nsfs for it on a descriptor (NSCTL_IOC_NS_OPEN).  Newer
 * kernels (6.18) give every namespace such an id (NS_GET_ID, listns(2)):
 * like nsctl's UUIDs they are never reused, but they are numbers of one
 * boot, where a UUID also tells this boot's namespaces from another's and
 * is known for namespaces that existed before nsctl loaded.  Where both
 * exist, match a namespace by its id and keep the UUID as nsctl's name
 * for it.
 *
 * A reply or an event carries every holder, however many.  In a dump, a
 * namespace with more holders than one part of the dump has room for is
 * sent as consecutive messages, each with the namespace's UUID, type,
 * inode, owner and parent and the next of its NSCTL_A_NS_CONTAINER
 * attributes: a reader joins consecutive messages with the same UUID.
 * A change of holders during a dump interrupts it (NLM_F_DUMP_INTR).
 *
 * In NSCTL_CMD_NEW_CONTAINER requests, each NSCTL_A_CT_NS nest is
 *
 *	NSCTL_A_NS_TYPE		u32 (required; one nest per type at most)
 *	NSCTL_A_NS_FD		s32, an nsfs file descriptor of the sender
 *	or NSCTL_A_NS_PID	s32 (pid type only), a process whose
 *				pid_for_children namespace fills the slot
 *				(as NSCTL_SET_NS_PID_OF_TASK, with its
 *				checks)
 *
 * Events
 * ------
 *
 * The multicast group NSCTL_GENL_MCGRP_EVENTS ("events") is open to
 * processes with CAP_SYS_ADMIN in the initial user namespace, and events
 * are sent in the initial network namespace only.  Events carry every
 * container and namespace, unfiltered: they are for the full view.  The
 * kernel checks the capability when a socket joins the group and gives a
 * module no say there, so a process with that capability in a child PID
 * namespace that shares the initial network namespace receives them too.  Every event carries
 * NSCTL_A_EVENT_SEQ (u64): 1 for the first event after the module loaded,
 * one more for each event after, in the order they are sent.  A number
 * is used up even when its event could not be allocated, so a gap always
 * means lost events (as does ENOBUFS from recv(2), a socket overrun): a
 * listener then takes a dump and goes on from there.
 *
 *  NSCTL_CMD_CONTAINER_CREATED	a container message.  Sent once the
 *				container is complete: for mkdir at once,
 *				for NSCTL_CMD_NEW_CONTAINER after everything
 *				was attached.  It can be opened by name and
 *				entered when the event arrives.
 *  NSCTL_CMD_CONTAINER_CHANGED	a container message with its new
 *				generation, and NSCTL_A_CT_CHANGED (u64):
 *				bits of the namespace types whose slot was
 *				filled, replaced or emptied, and
 *				NSCTL_CHANGED_CGROUP, NSCTL_CHANGED_UUID,
 *				NSCTL_CHANGED_POLICY, NSCTL_CHANGED_LABELS.
 *				One per
 *				NSCTL_IOC_SET_NS, SET_CGROUP or SET_UUID
 *				call or policy or labels write that changed
 *				something.
 *  NSCTL_CMD_CONTAINER_ENTERED	a container message and NSCTL_A_PID (u32):
 *				the caller's process id in the initial PID
 *				namespace.  When NSCTL_IOC_ENTER handed out
 *				fds of namespaces to switch to; not on the
 *				fast path, nor for NSCTL_ENTER_NO_FDS (the
 *				cached switch of a busy server, which counts
 *				in "enters" all the same).
 *  NSCTL_CMD_CONTAINER_EMPTIED	a container message.  The container's
 *				PID namespace lost its init: the init and
 *				with it every process in the namespace are
 *				gone.  Only for on_empty "notify" or
 *				"delete".  See "Empty containers" below.
 *  NSCTL_CMD_CONTAINER_DELETED	a container message (no namespaces; its
 *				generation one more than before, deletion
 *				being a change): after rmdir,
 *				NSCTL_CMD_DEL_CONTAINER or on_empty removed
 *				it.
 *  NSCTL_CMD_NETNS_CREATED	a namespace message.  A network namespace
 *				finished its creation: it is set up and
 *				listed by the kernel, and NSCTL_IOC_NS_OPEN
 *				with its UUID works.  nsctl checks for that
 *				a tick after its setup hook ran; a namespace
 *				torn down before then is announced at its
 *				teardown, just before NETNS_DESTROYED.  One
 *				whose creation failed is announced by
 *				neither.
 *  NSCTL_CMD_NETNS_DESTROYED	a namespace message.  The kernel is tearing
 *				the network namespace down: nothing holds it
 *				any more (process, open file, mount or
 *				container) and its devices are gone.  Not
 *				merely when its last process left.
 *  NSCTL_CMD_POOL_CREATED	a pool message: a pool was made.
 *  NSCTL_CMD_POOL_LOW		a pool message: the pool has fewer ready
 *				members than its low-water mark (after a
 *				claim, members expired, a smaller size or
 *				a higher mark), once until members bring
 *				it back to the mark; and whenever a new or
 *				larger pool has fewer than its size.  A
 *				filler adds members up to the size.
 *  NSCTL_CMD_POOL_DELETED	a pool message: the pool and its ready
 *				members are gone.
 *
 * Pools
 * -----
 *
 * A pool keeps complete containers ready to be handed out in one call.
 * Its members are containers that nobody has used: a filler in userspace
 * ("nsctl pool fill") makes fresh namespaces and a cgroup, as a create
 * does, and gives them to the pool (NSCTL_CMD_ADD_MEMBER); a claim
 * (NSCTL_CMD_CLAIM) names the oldest member and publishes it.  A member
 * is never returned to a pool once claimed, so namespaces are never
 * shared between two tenants.  Members older than the pool's maximum age
 * are released (a pooled mount namespace is a snapshot of the host's
 * mounts).  Whenever a pool falls below its low-water mark,
 * NSCTL_CMD_POOL_LOW tells fillers to add members up to the size.
 *
 * Pools are for the full view: the top-level file "pools" lists them for
 * an opener with the full view, a line each:
 *	"<name> types=<t,..> size=<n> low=<n> max_age=<s> ready=<n>
 *	 claimed=<n> added=<n> expired=<n> missed=<n>"
 * (missed: claims refused because the pool was empty), and is empty for
 * anyone else.  A pool pins the module as a container does.
 *
 * A pool message (replies, dumps, pool events):
 *
 *	NSCTL_A_POOL_NAME	string
 *	NSCTL_A_POOL_TYPES	u64, the namespace types each member holds
 *	NSCTL_A_POOL_SIZE	u32, the target
 *	NSCTL_A_POOL_LOW	u32, the low-water mark
 *	NSCTL_A_POOL_MAX_AGE	u32, seconds (0: none)
 *	NSCTL_A_POOL_FLAGS	u32, NSCTL_POOL_* below
 *	NSCTL_A_POOL_READY	u32, ready members
 *	NSCTL_A_POOL_CLAIMED	u64, members handed out
 *	NSCTL_A_POOL_ADDED	u64, members added
 *	NSCTL_A_POOL_EXPIRED	u64, members released for their age or a
 *				smaller size
 *	NSCTL_A_POOL_MISSED	u64, claims refused for want of a member
 *	NSCTL_A_POOL_CREATED	s64, seconds since the epoch
 *	NSCTL_A_POOL_OLDEST	s64, when the oldest ready member was added
 *				(only when there is one)
 *	NSCTL_A_CT_ON_EMPTY, NSCTL_A_CT_ENTER_POLICY, NSCTL_A_CT_LABELS:
 *				the template
 *	NSCTL_A_POOL_MEMORY_MAX, NSCTL_A_POOL_PIDS_MAX, NSCTL_A_POOL_CPU_MAX:
 *				string, the template's cgroup limits (when set)
 *	NSCTL_A_POOL_MEMBER_CGROUP u64, once per ready member with a cgroup:
 *				its cgroup's id (GET_POOL do only)
 *
 * Empty containers
 * ----------------
 *
 * A container with a PID namespace is empty once that namespace's init
 * has exited: the kernel then kills every other process in it and lets
 * none join.  What follows is the container's on_empty policy: nothing,
 * NSCTL_CMD_CONTAINER_EMPTIED, or that event and the deletion.
 *
 * nsctl learns it when it happens: it waits on the init's struct pid, as
 * a pidfd does, with no polling.  It starts waiting as soon as it sees a
 * running init: when the namespace is attached, on every NSCTL_IOC_ENTER
 * (the fast path included), on NSCTL_CMD_GET_CONTAINER and on a read of
 * "stat".  libnsctl's enter makes such a call from the new init itself,
 * right after forking it.  A process that forks a namespace's init by
 * other means and makes none of these calls leaves nsctl unaware of it.
 *
 * A container without a PID namespace has no such moment: its processes
 * can leave it one namespace at a time, and the kernel tells a module of
 * none of it.  It is never reported empty; its on_empty policy has no
 * effect.
 */
#ifndef _UAPI_LINUX_NSCTL_H
#define _UAPI_LINUX_NSCTL_H

#include <linux/const.h>
#include <linux/types.h>

/* Name of the filesystem type and its customary mount point. */
#define NSCTL_FS_NAME		"nsctl"
#define NSCTL_MOUNT_POINT	"/sys/fs/nsctl"

/* f_type reported by statfs(2) for an nsctl mount ("nscl"). */
#define NSCTL_SUPER_MAGIC	0x6e73636c

/* Longest container name. */
#define NSCTL_NAME_MAX		255

/* Pools: see "Pools" above. */
#define NSCTL_POOL_NAME_MAX	63
#define NSCTL_POOL_SIZE_MAX	4096
#define NSCTL_POOLS_MAX		64
#define NSCTL_POOL_LIMIT_MAX	31	/* longest cgroup limit string */
#define NSCTL_POOL_NO_CGROUP	_BITUL(0)	/* members hold no cgroup */
#define NSCTL_POOL_FLAGS_ALL	NSCTL_POOL_NO_CGROUP

/* Labels: see "Labels" above. */
#define NSCTL_LABEL_KEY_MAX	127
#define NSCTL_LABEL_VALUE_MAX	255
#define NSCTL_LABELS_MAX	64
#define NSCTL_LABELS_SIZE	4096

/* Namespace types: slot indexes, and bits of type masks (1 << type). */
enum nsctl_ns_type {
	NSCTL_NS_MNT,
	NSCTL_NS_UTS,
	NSCTL_NS_IPC,
	NSCTL_NS_NET,
	NSCTL_NS_PID,
	NSCTL_NS_USER,
	NSCTL_NS_CGROUP,
	NSCTL_NS_TIME,
	NSCTL_NS_COUNT
};

#define NSCTL_NS_BIT(type)	_BITULL(type)
#define NSCTL_NS_ALL		(NSCTL_NS_BIT(NSCTL_NS_COUNT) - 1)

/* Values of "pid_init" in the stat file. */
enum nsctl_pid_init {
	NSCTL_PID_INIT_NONE,
	NSCTL_PID_INIT_RUNNING,
	NSCTL_PID_INIT_DEAD,
};

#define NSCTL_IOC_MAGIC		0xE7

/**
 * struct nsctl_set_ns - NSCTL_IOC_SET_NS: attach, detach and replace
 * @flags:	NSCTL_SET_NS_* bits.
 * @attach:	types to fill from @fds (a filled slot is replaced).
 * @detach:	types whose slots are emptied.  A type may not be in both.
 * @generation:	in, with NSCTL_SET_NS_CHECK_GEN: the generation the caller
 *		expects, else ESTALE and nothing changes; out: the
 *		container's generation after the call.
 * @fds:	for each type in @attach, an nsfs file descriptor of that
 *		type (/proc/PID/ns/X, a bind mount of one, an fd from
 *		NSCTL_IOC_GET_NS...); other entries are ignored.
 * @pid:	with NSCTL_SET_NS_PID_OF_TASK: a process, as the caller's PID
 *		namespace numbers it, whose pid_for_children namespace fills
 *		the pid slot (which must be in @attach; @fds[NSCTL_NS_PID] is
 *		then ignored).  This is how a PID namespace that has no
 *		process yet is held: the kernel does not let
 *		/proc/PID/ns/pid_for_children be opened before its first
 *		process is forked.  ESRCH when there is no such process;
 *		EPERM when the caller could not open that process's
 *		/proc/PID/ns files (ptrace read access, as the security
 *		modules decide), or when /proc is not the procfs of the
 *		caller's PID namespace (the check is procfs's own).
 * @__reserved:	must be 0.
 *
 * The whole change is applied at once or not at all, as one generation
 * step (none when nothing changed).  Needs CAP_SYS_ADMIN in the initial
 * user namespace in the directory's opener and the caller (else EPERM).
 * Errors: EBADF for an fd that is not open, EINVAL for an fd that is not
 * an nsfs file or whose namespace is not of the type given, for a type in
 * both masks or for bits beyond NSCTL_NS_ALL; ESTALE for a generation
 * mismatch; EBUSY while a delete (rmdir, NSCTL_CMD_DEL_CONTAINER) is
 * checking the container for processes, so that none can be brought in
 * behind its check: try again.
 */
struct nsctl_set_ns {
	__aligned_u64 flags;
	__aligned_u64 attach;
	__aligned_u64 detach;
	__aligned_u64 generation;
	__s32 fds[NSCTL_NS_COUNT];
	__s32 pid;
	__u32 __reserved;
};

#define NSCTL_SET_NS_CHECK_GEN		_BITULL(0)
#define NSCTL_SET_NS_PID_OF_TASK	_BITULL(1)
#define NSCTL_SET_NS_ALL		(NSCTL_SET_NS_CHECK_GEN | \
					 NSCTL_SET_NS_PID_OF_TASK)
#define NSCTL_SET_NS_SIZE_VER0		72

/**
 * struct nsctl_get_ns - NSCTL_IOC_GET_NS: a held namespace as an fd
 * @flags:	none defined yet; must be 0.
 * @type:	enum nsctl_ns_type.
 * @__reserved:	must be 0.
 *
 * Returns a new close-on-exec nsfs file descriptor for the namespace in
 * slot @type, usable with setns(2).  The caller must pass the checks that
 * setns(2) itself would make for that namespace (CAP_SYS_ADMIN over its
 * owning user namespace and its own; for mnt, CAP_SYS_CHROOT too; for
 * pid, the namespace must be the caller's or below it): else EPERM.  ENOENT when the slot is empty,
 * EINVAL for an unknown type.
 */
struct nsctl_get_ns {
	__aligned_u64 flags;
	__u32 type;
	__u32 __reserved;
};

#define NSCTL_GET_NS_SIZE_VER0	16

/**
 * struct nsctl_set_cgroup - NSCTL_IOC_SET_CGROUP: bind a cgroup v2 directory
 * @flags:	none defined yet; must be 0.
 * @fd:		a cgroup v2 directory, or -1 to unbind.
 * @__reserved:	must be 0.
 * @generation:	out: the container's generation after the call.
 *
 * The container holds the cgroup by reference.  Needs CAP_SYS_ADMIN in the
 * initial user namespace in the directory's opener and the caller.  EBADF
 * when @fd is not a cgroup v2 directory; EBUSY while a delete is checking
 * the container for processes, as for NSCTL_IOC_SET_NS.
 */
struct nsctl_set_cgroup {
	__aligned_u64 flags;
	__s32 fd;
	__u32 __reserved;
	__aligned_u64 generation;
};

#define NSCTL_SET_CGROUP_SIZE_VER0	24

/**
 * struct nsctl_set_uuid - NSCTL_IOC_SET_UUID: give a container a known UUID
 * @flags:	none defined yet; must be 0.
 * @uuid:	the UUID, in RFC 9562 byte order; the nil UUID is refused.
 *
 * Only on a container that holds nothing yet (generation 1), so that a
 * UUID always names one aggregate: else EBUSY.  EEXIST when another live
 * container has this UUID.  Needs CAP_SYS_ADMIN in the initial user
 * namespace in the directory's opener and the caller.
 */
struct nsctl_set_uuid {
	__aligned_u64 flags;
	__u8 uuid[16];
};

#define NSCTL_SET_UUID_SIZE_VER0	24

/**
 * struct nsctl_ns_info - NSCTL_IOC_NS_INFO: identify a namespace by fd
 * @flags:		none defined yet; must be 0.
 * @fd:			an nsfs file descriptor (/proc/PID/ns/X, a bind mount...).
 * @type:		out: enum nsctl_ns_type.
 * @inum:		out: the inode number, as /proc/PID/ns/X shows it.
 * @uuid:		out: the namespace's UUID.
 * @owner_uuid:		out: the UUID of the user namespace that owns it (for
 *			a user namespace, its parent); zero for the initial
 *			user namespace.
 * @parent_uuid:	out: for pid and user namespaces, the parent's UUID;
 *			zero otherwise.
 * @containers:		in: a pointer to an array of __u64, or 0.
 * @containers_max:	in: the array's length.
 * @containers_count:	out: how many containers hold the namespace that
 *			the root directory's opener sees; the first
 *			min(count, max) ids are written to the array.
 *
 * Starts tracking the namespace if nsctl did not yet.  EBADF for an fd
 * that is not open, EINVAL for one that is not an nsfs file, EFAULT for a
 * bad array.  Any caller holding the fd may ask.
 */
struct nsctl_ns_info {
	__aligned_u64 flags;
	__s32 fd;
	__u32 type;
	__aligned_u64 inum;
	__u8 uuid[16];
	__u8 owner_uuid[16];
	__u8 parent_uuid[16];
	__aligned_u64 containers;
	__u32 containers_max;
	__u32 containers_count;
};

#define NSCTL_NS_INFO_SIZE_VER0	88

/**
 * struct nsctl_ns_open - NSCTL_IOC_NS_OPEN: a namespace by UUID
 * @flags:	none defined yet; must be 0.
 * @uuid:	the namespace's UUID.
 *
 * Returns a new close-on-exec nsfs file descriptor when the root
 * directory's opener may see the namespace (else ENOENT, as for a UUID
 * nsctl never issued) and setns(2) would accept the caller for it (else
 * EPERM).  ESTALE when the
 * namespace is gone.  This is what namespace file handles offer on Linux
 * 6.18, for 6.1 and 6.12.
 */
struct nsctl_ns_open {
	__aligned_u64 flags;
	__u8 uuid[16];
};

#define NSCTL_NS_OPEN_SIZE_VER0	24

#define NSCTL_IOC_SET_NS	_IOWR(NSCTL_IOC_MAGIC, 1, struct nsctl_set_ns)
#define NSCTL_IOC_GET_NS	_IOW(NSCTL_IOC_MAGIC, 2, struct nsctl_get_ns)
#define NSCTL_IOC_SET_CGROUP	_IOWR(NSCTL_IOC_MAGIC, 3, struct nsctl_set_cgroup)
#define NSCTL_IOC_SET_UUID	_IOW(NSCTL_IOC_MAGIC, 4, struct nsctl_set_uuid)

/**
 * struct nsctl_enter - NSCTL_IOC_ENTER: check a container and get its way in
 * @flags:		NSCTL_ENTER_* bits.
 * @types:		in: the types to enter (bits of enum nsctl_ns_type); 0
 *			means every slot that is not empty.  A requested type
 *			whose slot is empty counts as already entered: an empty
 *			slot is "whatever the caller already has".
 * @generation:		in, with NSCTL_ENTER_CHECK_GEN: the generation the
 *			caller expects; out: the generation that was checked.
 * @expect_uuid:	in: per type, the UUID the caller expects that slot's
 *			namespace to have; all zero means "do not check".
 * @fds:		out: per type, a new close-on-exec nsfs fd for each
 *			namespace the caller must switch to, -1 otherwise.
 * @entered:		out: the types that got an fd.
 * @already:		out: the requested types the caller is already in.
 * @cgroup_fd:		out: with NSCTL_ENTER_CGROUP, a close-on-exec fd for
 *			the container's cgroup directory (to write "0" to its
 *			cgroup.procs, or for clone3's CLONE_INTO_CGROUP), or -1
 *			when it has none.  Needs CAP_SYS_ADMIN in the initial
 *			user namespace (EPERM): a directory fd on the cgroup2
 *			mount leads past a chroot or mount namespace.
 * @pid_init:		out: enum nsctl_pid_init of the pid slot's namespace.
 *
 * Everything is checked at once, against one consistent view of the
 * container (under its lock, or on the fast path a snapshot): that it is
 * not deleted (else ESTALE), that the generation and every expected UUID
 * match (else ESTALE), that the caller passes the checks setns(2) itself
 * makes for each namespace it is not in yet (else EPERM).  Nothing is handed
 * out unless everything passed, and the descriptors are handed out all or
 * none: when one cannot be made (EMFILE, ENOMEM), none is installed, and
 * none of the caller's is ever closed.  A caller counts as in a PID
 * namespace when it is in it or below it, or when the namespace is its
 * pid_for_children (it joined with setns(2) and has not forked).  When the
 * caller is already in every
 * requested namespace and asked for no cgroup, nothing is handed out and
 * the call returns at once: the "already there" fast path.  EOWNERDEAD when
 * the pid type is to be entered but the PID namespace's init has died and
 * the kernel lets no process join it any more: replace the namespace
 * (NSCTL_IOC_SET_NS with the generation returned here) and enter again.
 * A successful enter that has namespaces to switch counts in the "enters"
 * statistic.
 *
 * NSCTL_ENTER_NO_FDS checks everything the same way and reports @entered,
 * @already and @generation, but hands out nothing.  A caller that kept the
 * fds of an earlier enter of the same generation can use them: a
 * container's generation changes whenever any of its slots does, so those
 * fds are the namespaces just checked.  That makes a checked switch cost
 * one ioctl more than the bare setns(2) calls.
 */
struct nsctl_enter {
	__aligned_u64 flags;
	__aligned_u64 types;
	__aligned_u64 generation;
	__u8 expect_uuid[NSCTL_NS_COUNT][16];
	__s32 fds[NSCTL_NS_COUNT];
	__aligned_u64 entered;
	__aligned_u64 already;
	__s32 cgroup_fd;
	__u32 pid_init;
};

#define NSCTL_ENTER_CHECK_GEN	_BITULL(0)
#define NSCTL_ENTER_CGROUP	_BITULL(1)
#define NSCTL_ENTER_NO_FDS	_BITULL(2)
#define NSCTL_ENTER_ALL		(NSCTL_ENTER_CHECK_GEN | NSCTL_ENTER_CGROUP | \
				 NSCTL_ENTER_NO_FDS)
#define NSCTL_ENTER_SIZE_VER0	208

#define NSCTL_IOC_ENTER		_IOWR(NSCTL_IOC_MAGIC, 5, struct nsctl_enter)

/**
 * struct nsctl_enter_check - NSCTL_IOC_ENTER_CHECK: the check alone, compact
 * @flags:		in: NSCTL_ENTER_CHECK_GEN, NSCTL_ENTER_CGROUP (and
 *			NSCTL_ENTER_NO_FDS, which is implied).
 * @types:		in: as for NSCTL_IOC_ENTER.
 * @generation:		in and out: as for NSCTL_IOC_ENTER.
 * @entered:		out: the types the caller still has to switch to.
 * @already:		out: the requested types the caller is already in.
 * @pid_init:		out: enum nsctl_pid_init of the pid slot's namespace.
 * @threads:		out: the threads in the caller's process, so that a
 *			caller knows whether setns(2) of mnt, user or time can
 *			work (a multithreaded process cannot join those).
 * @cur_inum:		out: for each type in @entered, the inode number of
 *			the namespace of that type the calling thread is in
 *			now (for pid: its own PID namespace), 0 for the other
 *			types; a caller that holds an nsfs fd of that inode
 *			holds the namespace it would return to.
 * @ns_inum:		out: for each type in @entered, the inode number of
 *			the container's namespace of that type (the one its
 *			fds of this generation refer to), 0 for the others.
 *			@cur_inum and @ns_inum are not written when @entered
 *			is 0.
 *
 * NSCTL_IOC_ENTER with NSCTL_ENTER_NO_FDS and no expected UUIDs, in a
 * smaller structure: what a caller that keeps the fds of an earlier enter
 * calls before each switch.  The same checks and errors.  When the caller
 * is already in everything (the fast path), the answer is read without
 * the container's lock, from a consistent snapshot of it.
 */
struct nsctl_enter_check {
	__aligned_u64 flags;
	__aligned_u64 types;
	__aligned_u64 generation;
	__aligned_u64 entered;
	__aligned_u64 already;
	__u32 pid_init;
	__u32 threads;
	__u32 cur_inum[NSCTL_NS_COUNT];
	__u32 ns_inum[NSCTL_NS_COUNT];
};

#define NSCTL_ENTER_CHECK_SIZE_VER0	112

#define NSCTL_IOC_ENTER_CHECK	_IOWR(NSCTL_IOC_MAGIC, 6, struct nsctl_enter_check)

/*
 * NSCTL_IOC_ENTER_FAST: the check of a caller that expects to be inside
 * already, with no structure at all.  The argument is
 * NSCTL_ENTER_FAST_ARG(types, generation): the types as for
 * NSCTL_IOC_ENTER (0: every slot held) and the generation expected, which
 * is always checked (it must fit in the bits of an unsigned long above
 * NSCTL_ENTER_FAST_GEN_SHIFT, the types filling those below).  The same checks
 * and errors as NSCTL_IOC_ENTER_CHECK (ESTALE, EPERM for a sealed
 * container's...), with the answer in the return value: when the caller is
 * already in every requested namespace, the types it is already in (as
 * @already) with the pid slot's enum nsctl_pid_init shifted by
 * NSCTL_ENTER_FAST_PID_SHIFT; otherwise NSCTL_ENTER_FAST_SWITCH alone,
 * and NSCTL_IOC_ENTER_CHECK tells what to switch (the permission checks
 * are made, and the enter is counted, only there).  When it has to decide
 * under the container's lock (a change in progress), it may instead
 * return the error NSCTL_IOC_ENTER_CHECK would (EPERM, EOWNERDEAD).
 */
#define NSCTL_ENTER_FAST_GEN_SHIFT	8
#define NSCTL_ENTER_FAST_PID_SHIFT	8
#define NSCTL_ENTER_FAST_SWITCH		_BITUL(16)
#define NSCTL_ENTER_FAST_ARG(types, gen) \
	((unsigned long)(types) | (unsigned long)(gen) << NSCTL_ENTER_FAST_GEN_SHIFT)

#define NSCTL_IOC_ENTER_FAST	_IO(NSCTL_IOC_MAGIC, 7)

/* On the root directory. */
#define NSCTL_IOC_NS_INFO	_IOWR(NSCTL_IOC_MAGIC, 32, struct nsctl_ns_info)
#define NSCTL_IOC_NS_OPEN	_IOW(NSCTL_IOC_MAGIC, 33, struct nsctl_ns_open)

/* Generic netlink: see "Generic netlink" at the top. */
#define NSCTL_GENL_NAME		"nsctl"
#define NSCTL_GENL_VERSION	1
#define NSCTL_GENL_MCGRP_EVENTS	"events"

enum nsctl_cmd {
	NSCTL_CMD_UNSPEC,
	NSCTL_CMD_GET_CONTAINER,
	NSCTL_CMD_NEW_CONTAINER,
	NSCTL_CMD_DEL_CONTAINER,
	NSCTL_CMD_GET_NS,
	/* Events, on NSCTL_GENL_MCGRP_EVENTS. */
	NSCTL_CMD_CONTAINER_CREATED,
	NSCTL_CMD_CONTAINER_CHANGED,
	NSCTL_CMD_CONTAINER_ENTERED,
	NSCTL_CMD_CONTAINER_EMPTIED,
	NSCTL_CMD_CONTAINER_DELETED,
	NSCTL_CMD_NETNS_CREATED,
	NSCTL_CMD_NETNS_DESTROYED,
	/* Pools. */
	NSCTL_CMD_GET_POOL,
	NSCTL_CMD_NEW_POOL,
	NSCTL_CMD_SET_POOL,
	NSCTL_CMD_DEL_POOL,
	NSCTL_CMD_ADD_MEMBER,
	NSCTL_CMD_CLAIM,
	/* Pool events, on NSCTL_GENL_MCGRP_EVENTS. */
	NSCTL_CMD_POOL_CREATED,
	NSCTL_CMD_POOL_LOW,
	NSCTL_CMD_POOL_DELETED,

	__NSCTL_CMD_MAX,
	NSCTL_CMD_MAX = __NSCTL_CMD_MAX - 1
};

enum nsctl_attr {
	NSCTL_A_UNSPEC,
	NSCTL_A_PAD,
	NSCTL_A_EVENT_SEQ,		/* u64 */
	NSCTL_A_CT_ID,			/* u64 */
	NSCTL_A_CT_NAME,		/* string */
	NSCTL_A_CT_UUID,		/* binary, 16 */
	NSCTL_A_CT_GENERATION,		/* u64 */
	NSCTL_A_CT_CREATED,		/* s64 */
	NSCTL_A_CT_ENTERS,		/* u64 */
	NSCTL_A_CT_PID_INIT,		/* u32 */
	NSCTL_A_CT_CGROUP_ID,		/* u64 */
	NSCTL_A_CT_CGROUP_PATH,		/* string */
	NSCTL_A_CT_NS,			/* nest of NSCTL_A_NS_* */
	NSCTL_A_CT_CHANGED,		/* u64 */
	NSCTL_A_PID,			/* u32 */
	NSCTL_A_CGROUP_FD,		/* s32 */
	NSCTL_A_NS_TYPE,		/* u32 */
	NSCTL_A_NS_INUM,		/* u32 */
	NSCTL_A_NS_UUID,		/* binary, 16 */
	NSCTL_A_NS_OWNER_UUID,		/* binary, 16 */
	NSCTL_A_NS_PARENT_UUID,		/* binary, 16 */
	NSCTL_A_NS_CONTAINER,		/* u64 */
	NSCTL_A_NS_FD,			/* s32 */
	NSCTL_A_NS_PID,			/* s32 */
	NSCTL_A_CT_ON_EMPTY,		/* u32 */
	NSCTL_A_CT_ENTER_POLICY,	/* u32 */
	NSCTL_A_CT_LABELS,		/* nest of NSCTL_A_LABEL */
	NSCTL_A_LABEL,			/* string, "key=value" or "key" */
	NSCTL_A_NS_NET_COOKIE,		/* u64 */
	NSCTL_A_POOL_NAME,		/* string */
	NSCTL_A_POOL_TYPES,		/* u64 */
	NSCTL_A_POOL_SIZE,		/* u32 */
	NSCTL_A_POOL_LOW,		/* u32 */
	NSCTL_A_POOL_MAX_AGE,		/* u32 */
	NSCTL_A_POOL_FLAGS,		/* u32 */
	NSCTL_A_POOL_READY,		/* u32 */
	NSCTL_A_POOL_CLAIMED,		/* u64 */
	NSCTL_A_POOL_ADDED,		/* u64 */
	NSCTL_A_POOL_EXPIRED,		/* u64 */
	NSCTL_A_POOL_MISSED,		/* u64 */
	NSCTL_A_POOL_CREATED,		/* s64 */
	NSCTL_A_POOL_OLDEST,		/* s64 */
	NSCTL_A_POOL_MEMORY_MAX,	/* string */
	NSCTL_A_POOL_PIDS_MAX,		/* string */
	NSCTL_A_POOL_CPU_MAX,		/* string */
	NSCTL_A_POOL_MEMBER_CGROUP,	/* u64 */

	__NSCTL_A_MAX,
	NSCTL_A_MAX = __NSCTL_A_MAX - 1
};

/* NSCTL_A_CT_CHANGED bits beyond the namespace types. */
#define NSCTL_CHANGED_CGROUP	NSCTL_NS_BIT(NSCTL_NS_COUNT)
#define NSCTL_CHANGED_UUID	NSCTL_NS_BIT(NSCTL_NS_COUNT + 1)
#define NSCTL_CHANGED_POLICY	NSCTL_NS_BIT(NSCTL_NS_COUNT + 2)
#define NSCTL_CHANGED_LABELS	NSCTL_NS_BIT(NSCTL_NS_COUNT + 3)

/* Values of the "on_empty" file. */
enum nsctl_on_empty {
	NSCTL_ON_EMPTY_IGNORE,
	NSCTL_ON_EMPTY_NOTIFY,
	NSCTL_ON_EMPTY_DELETE,
};

/* Values of the "enter" file. */
enum nsctl_enter_policy {
	NSCTL_ENTER_POLICY_ALLOW,
	NSCTL_ENTER_POLICY_DENY,
};

#endif /* _UAPI_LINUX_NSCTL_H */
