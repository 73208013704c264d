/** Browser-mode placeholder: lists the tasks the server offers. The React console replaces this. */
interface TaskSummary {
  readonly id: string;
  readonly title: string;
  readonly instruction: string;
}

async function showTasks(): Promise<void> {
  const list = document.getElementById('tasks');
  if (!list) return;
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const response = await fetch(`./api/tasks?token=${encodeURIComponent(token)}`);
  if (!response.ok) {
    list.innerHTML = '';
    list.append(Object.assign(document.createElement('li'), { textContent: `could not load tasks: HTTP ${response.status}` }));
    return;
  }
  const tasks = (await response.json()) as TaskSummary[];
  list.replaceChildren(
    ...tasks.map((task) => {
      const item = document.createElement('li');
      item.innerHTML = '<strong></strong> — <span></span>';
      (item.querySelector('strong') as HTMLElement).textContent = task.id;
      (item.querySelector('span') as HTMLElement).textContent = task.instruction;
      return item;
    }),
  );
}

void showTasks();
